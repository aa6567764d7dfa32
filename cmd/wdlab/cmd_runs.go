package main

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"text/tabwriter"

	"wdlab/internal/runio"
	"wdlab/internal/store"
	"wdlab/internal/tboard"
)

func init() {
	commands["runs"] = command{"list, show, export (CSV) or convert to TensorBoard the runs of an output root", runRuns}
}

func runRuns(args []string) error {
	return runGroup("runs", []subcommand{
		{"ls", "list the runs recorded in an output root's run store", runsList},
		{"show", "print one run's summary and config", runsShow},
		{"export", "write the runs of a store as CSV", runsExport},
		{"tb", "write TensorBoard event files next to each run's metrics", runsTensorBoard},
	}, args)
}

// runsStore opens ROOT/runs.db and brings it up to date with the run
// directories under root (store.Sync: only directories that changed are
// read; this is how runs of cluster tasks, which never write the store, get
// in). Without scan a missing store is a usage error; with scan it is
// created.
func runsStore(root string, scan bool) (*store.Store, error) {
	if !scan {
		if _, err := os.Stat(filepath.Join(root, store.DBFile)); err != nil {
			return nil, usagef("no run store %s (run a sweep there, or pass --scan to index the runs under it)",
				filepath.Join(root, store.DBFile))
		}
	}
	st, err := store.Open(root)
	if err != nil {
		return nil, err
	}
	if _, err := st.Sync(); err != nil {
		st.Close()
		return nil, err
	}
	return st, nil
}

func runsList(args []string) error {
	fs := newFlags("runs ls", "")
	root := fs.String("root", ".", "output root `DIR` holding runs.db")
	scan := fs.Bool("scan", false, "create the store from the run directories under the root when it is missing")
	exp := fs.String("experiment", "", "only runs of the sweep or experiment `NAME`")
	status := fs.String("status", "", "only runs with this `status`")
	if pos, err := fs.parse(args); err != nil || len(pos) > 0 {
		return cmp.Or(err, fs.fail())
	}
	st, err := runsStore(*root, *scan)
	if err != nil {
		return err
	}
	defer st.Close()
	runs, err := st.List(store.Filter{Experiment: *exp, Status: *status})
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "EXPERIMENT\tCELL\tSTATUS\tATTEMPTS\tLR\tWD\tWALL_S\tTEST_ERR\tDIR")
	for _, r := range runs {
		cfg, _ := runio.ParseConfig([]byte(r.ConfigYAML))
		cell := ""
		if r.CellIndex >= 0 {
			cell = strconv.Itoa(r.CellIndex)
		}
		testErr := ""
		if s, err := runio.ReadSummary(filepath.Join(st.Abs(r.Dir), runio.SummaryFile)); err == nil {
			if v, ok := s.Final["test_err"]; ok {
				testErr = fmt.Sprintf("%.4g", v)
			}
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\t%s\t%.1f\t%s\t%s\n", r.Experiment, cell, r.Status, r.Attempts,
			runsConfigValue(cfg, runio.LRKeys), runsConfigValue(cfg, runio.WDKeys), r.WallS, testErr, r.Dir)
	}
	return tw.Flush()
}

// runsConfigValue formats a config number, or "" when absent.
func runsConfigValue(cfg map[string]any, keys []string) string {
	if v, ok := runio.ConfigNumber(cfg, keys...); ok {
		return strconv.FormatFloat(v, 'g', -1, 64)
	}
	return ""
}

func runsShow(args []string) error {
	fl := newFlags("runs show", "RUNDIR")
	args, err := fl.parse(args)
	if err != nil {
		return err
	}
	if len(args) != 1 {
		return fl.fail()
	}
	dir := args[0]
	sum, err := runio.ReadSummary(filepath.Join(dir, runio.SummaryFile))
	if err != nil {
		return err
	}
	cfg, err := runio.ReadConfig(filepath.Join(dir, runio.ConfigFile))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	pts, err := runio.ReadMetrics(filepath.Join(dir, runio.MetricsFile))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	tw := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "run\t%s (%s)\n", sum.Name, dir)
	fmt.Fprintf(tw, "status\t%s\n", sum.Status)
	fmt.Fprintf(tw, "wall_s\t%.1f\n", sum.WallS)
	for _, k := range []struct {
		name string
		keys []string
	}{{"lr", runio.LRKeys}, {"wd", runio.WDKeys}, {"seed", runio.SeedKeys}} {
		if v := runsConfigValue(cfg, k.keys); v != "" {
			fmt.Fprintf(tw, "%s\t%s\n", k.name, v)
		}
	}
	fmt.Fprintf(tw, "points\t%d\n", len(pts))
	for _, part := range []struct {
		name string
		m    map[string]float64
	}{{"final", sum.Final}, {"best", sum.Best}} {
		keys := make([]string, 0, len(part.m))
		for k := range part.m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			fmt.Fprintf(tw, "%s\t%s\t%.6g\n", part.name, k, part.m[k])
		}
	}
	return tw.Flush()
}

func runsExport(args []string) error {
	fs := newFlags("runs export", "", "csv")
	csvFlag := fs.Bool("csv", false, "write CSV (the only format)")
	root := fs.String("root", ".", "output root `DIR` holding runs.db")
	scan := fs.Bool("scan", false, "create the store from the run directories under the root when it is missing")
	outFile := fs.String("o", "", "output `FILE` (default: standard output)")
	if pos, err := fs.parse(args); err != nil || len(pos) > 0 || !*csvFlag {
		return cmp.Or(err, fs.fail())
	}
	st, err := runsStore(*root, *scan)
	if err != nil {
		return err
	}
	defer st.Close()
	runs, err := st.List(store.Filter{})
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := st.ExportCSV(&buf, runs); err != nil {
		return err
	}
	if *outFile == "" {
		_, err = os.Stdout.Write(buf.Bytes())
		return err
	}
	return runio.WriteFileAtomic(*outFile, buf.Bytes(), 0o644)
}

func runsTensorBoard(args []string) error {
	fl := newFlags("runs tb", "[DIR]")
	args, err := fl.parse(args)
	if err != nil {
		return err
	}
	if len(args) > 1 {
		return fl.fail()
	}
	root := "."
	if len(args) == 1 {
		root = args[0]
	}
	dirs, err := runio.FindRunDirs(root)
	if err != nil {
		return err
	}
	if len(dirs) == 0 {
		return usagef("no run directories (folders with %s) under %s", runio.SummaryFile, root)
	}
	n := 0
	for _, d := range dirs {
		if _, err := os.Stat(filepath.Join(d, runio.MetricsFile)); err != nil {
			continue // nothing measured yet
		}
		if err := tboard.ExportRun(d); err != nil {
			return err
		}
		n++
	}
	fmt.Printf("%d runs exported to RUNDIR/%s; view with: tensorboard --logdir %s\n", n, tboard.TBDir, root)
	return nil
}
