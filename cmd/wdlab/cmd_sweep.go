package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"wdlab/internal/sweep"
)

func init() {
	commands["sweep"] = command{"run a grid of training runs locally, or emit a Slurm/Kubernetes job for it", runSweep}
}

const sweepUsage = "usage: wdlab sweep -c SWEEP --out DIR [--workers N | --index I] " + emitUsage + " [--executor native|gomlx] [--gomlx-backend go|xla:/abs/plugin.so] [--set key=value ...]"

func runSweep(args []string) error {
	fs := flag.NewFlagSet("sweep", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	path := fs.String("c", "", "sweep file (YAML: name, base, set, grid, workers)")
	out := fs.String("out", "", "output directory of the sweep")
	workers := fs.Int("workers", 0, "training processes run at once (default: the sweep's workers, else 1)")
	index := fs.Int("index", -1, "run only the cell with this index (cluster array tasks)")
	emit := fs.String("emit", "", "write a cluster job instead of running: slurm or k8s")
	rf := addRunFlags(fs)
	ef := addEmitFlags(fs)
	if err := fs.Parse(args); err != nil {
		return usagef("%v (%s)", err, sweepUsage)
	}
	if err := ef.check(*emit); err != nil {
		return err
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	switch {
	case *path == "" || *out == "" || fs.NArg() > 0:
		return usagef("%s", sweepUsage)
	case set["workers"] && set["index"]:
		return usagef("--workers and --index exclude each other (%s)", sweepUsage)
	case set["workers"] && *workers < 1:
		return usagef("--workers %d: want at least 1", *workers)
	case set["index"] && *index < 0:
		return usagef("--index %d: want a cell index >= 0", *index)
	case set["index"] && set["emit"]:
		return usagef("--index and --emit exclude each other (%s)", sweepUsage)
	case set["emit"] && *emit != "slurm" && *emit != "k8s":
		return usagef("--emit %q: want slurm or k8s", *emit)
	}
	extra, err := rf.trainArgs()
	if err != nil {
		return err
	}
	sw, err := sweep.Load(*path)
	if err != nil {
		return err
	}
	if err := sw.AddSets(rf.sets); err != nil {
		return err
	}
	if n := sw.NumCells(); *index >= n {
		return usagef("--index %d: the sweep has cells 0..%d", *index, n-1)
	}
	exe, err := os.Executable()
	if err != nil {
		return fmt.Errorf("cannot find the wdlab binary: %w", err)
	}
	if *emit != "" {
		return sweepEmit(sw, *out, *emit, sweep.EmitOptions{Exe: exe, Workers: *workers, Res: ef.res, Extra: append(extra, sweep.SetArgs(rf.sets)...)})
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	opt := sweep.Options{Workers: *workers, Runner: sweep.ExecRunner(exe, sweep.ThreadsPerWorker(sw, *workers), extra...), Progress: os.Stderr}
	if set["index"] {
		opt.Cells, opt.TaskOnly = []int{*index}, true
	}
	return sweep.Run(ctx, sw, *out, opt)
}

// sweepEmit writes the cluster job file and says where it is.
func sweepEmit(sw *sweep.Sweep, out, kind string, opt sweep.EmitOptions) error {
	path, err := sweep.EmitJob(sw, out, kind, opt)
	if err != nil {
		return err
	}
	fmt.Printf("%s: %d cells\n", path, sw.NumCells())
	return nil
}
