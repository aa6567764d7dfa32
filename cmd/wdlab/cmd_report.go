package main

import (
	"fmt"
	"path/filepath"

	"wdlab/internal/report"
)

func init() {
	commands["report"] = command{"draw the paper's figures and an HTML report from the runs under a directory", runReport}
}

func runReport(args []string) error {
	fs := newFlags("report", "DIR")
	outDir := fs.String("o", "", "output `OUTDIR` (default DIR/report)")
	pos, err := fs.parse(args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return fs.fail()
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
