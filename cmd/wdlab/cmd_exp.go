package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"syscall"
	"text/tabwriter"

	"wdlab/internal/exp"
)

func init() {
	commands["exp"] = command{"the paper's experiments: exp list | exp run NAME --scale tiny|small|paper --out DIR", runExp}
}

const expUsage = "usage: wdlab exp list | wdlab exp run NAME --scale tiny|small|paper --out DIR [--workers N | --index I] " + emitUsage + " [--executor native|gomlx] [--gomlx-backend go|xla:/abs/plugin.so] [--set key=value ...]"

func runExp(args []string) error {
	if len(args) == 0 {
		return usagef("%s", expUsage)
	}
	switch args[0] {
	case "list":
		return expList()
	case "run":
		return expRun(args[1:])
	}
	return usagef("unknown exp subcommand %q (%s)", args[0], expUsage)
}

func expList() error {
	all, err := exp.Catalog()
	if err != nil {
		return err
	}
	w := tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "NAME\tPAPER\tWHAT")
	for _, e := range all {
		fmt.Fprintf(w, "%s\t%s\t%s\n", e.Name, e.Figure, e.Title)
	}
	return w.Flush()
}

func expRun(args []string) error {
	if len(args) == 0 || args[0] == "" || args[0][0] == '-' {
		return usagef("%s", expUsage)
	}
	name := args[0]
	fs := flag.NewFlagSet("exp run", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	scale := fs.String("scale", "tiny", "tiny, small or paper")
	out := fs.String("out", "", "output directory")
	workers := fs.Int("workers", 0, "cells run at once (default: the experiment's)")
	index := fs.Int("index", -1, "run only this cell (cluster array tasks)")
	emit := fs.String("emit", "", "write a cluster job instead of running: slurm or k8s")
	rf := addRunFlags(fs)
	ef := addEmitFlags(fs)
	if err := fs.Parse(args[1:]); err != nil {
		return usagef("%v (%s)", err, expUsage)
	}
	if err := ef.check(*emit); err != nil {
		return err
	}
	if *out == "" || fs.NArg() > 0 {
		return usagef("%s", expUsage)
	}
	if !slices.Contains(exp.Scales, *scale) {
		return usagef("--scale %q: want tiny, small or paper", *scale)
	}
	if *emit != "" && *emit != "slurm" && *emit != "k8s" {
		return usagef("--emit %q: want slurm or k8s", *emit)
	}
	extra, err := rf.trainArgs()
	if err != nil {
		return err
	}
	e, err := exp.Find(name)
	if err != nil {
		return usagef("%v", err)
	}
	exe, err := os.Executable()
	if err != nil {
		return fmt.Errorf("cannot find the wdlab binary: %w", err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return exp.Run(ctx, e, *scale, *out, exp.Options{Workers: *workers, Index: *index, Emit: *emit, Resources: ef.res, Exe: exe, TrainArgs: extra, Sets: rf.sets, Log: os.Stderr})
}
