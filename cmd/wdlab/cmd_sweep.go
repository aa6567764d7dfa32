package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"wdlab/internal/sweep"
)

func init() {
	commands["sweep"] = command{"run a grid of training runs locally, or emit a Slurm/Kubernetes job for it", runSweep}
}

func runSweep(args []string) error {
	fs := newFlags("sweep", "", "c", "out")
	path := fs.String("c", "", "sweep `FILE` (YAML: name, base, set, grid, workers)")
	out := fs.String("out", "", "output `DIR` of the sweep")
	rf := addRunFlags(fs, "training processes")
	pos, err := fs.parse(args)
	if err != nil {
		return err
	}
	if *path == "" || *out == "" || len(pos) > 0 {
		return fs.fail()
	}
	if err := rf.checkCells(); err != nil {
		return err
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
	if n := sw.NumCells(); *rf.index >= n {
		return usagef("--index %d: the sweep has cells 0..%d", *rf.index, n-1)
	}
	exe, err := os.Executable()
	if err != nil {
		return fmt.Errorf("cannot find the wdlab binary: %w", err)
	}
	if *rf.emit != "" {
		return sweepEmit(sw, *out, *rf.emit, sweep.EmitOptions{Exe: exe, Workers: *rf.workers, Res: rf.res.res, Extra: append(extra, sweep.SetArgs(rf.sets)...)})
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	opt := sweep.Options{Workers: *rf.workers, Runner: sweep.ExecRunner(exe, sweep.ThreadsPerWorker(sw, *rf.workers), extra...), Progress: os.Stderr}
	if fs.isSet("index") {
		opt.Cells, opt.TaskOnly = []int{*rf.index}, true
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
