package main

import (
	"flag"
	"fmt"
	"io"
	"path/filepath"

	"wdlab/internal/report"
)

func init() {
	commands["report"] = command{"draw the paper's figures and an HTML report from the runs under a directory", runReport}
}

const reportUsage = "usage: wdlab report DIR [-o OUTDIR]"

func runReport(args []string) error {
	fs := flag.NewFlagSet("report", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	outDir := fs.String("o", "", "output directory (default DIR/report)")
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return usagef("%v (%s)", err, reportUsage)
	}
	if len(pos) != 1 {
		return usagef("%s", reportUsage)
	}
	dir := pos[0]
	if *outDir == "" {
		*outDir = filepath.Join(dir, "report")
	}
	figs, err := report.Render(dir, *outDir, report.Options{})
	if err != nil {
		return err
	}
	fmt.Printf("%s: %d figures\n", filepath.Join(*outDir, report.IndexFile), len(figs))
	return nil
}

// parseInterleaved parses flags that may come before, between or after
// positional arguments, and returns the positional ones.
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return pos, nil
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
}
