package main

import (
	"cmp"
	"context"
	"fmt"
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

func runExp(args []string) error {
	return runGroup("exp", []subcommand{
		{"list", "list the experiments with the paper's figure each reproduces", expList},
		{"run", "run one experiment's cells at a scale into a directory", expRun},
	}, args)
}

func expList(args []string) error {
	fs := newFlags("exp list", "")
	if pos, err := fs.parse(args); err != nil || len(pos) > 0 {
		return cmp.Or(err, fs.fail())
	}
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
	fs := newFlags("exp run", "NAME", "out")
	scale := fs.String("scale", "tiny", "`tiny|small|paper`")
	out := fs.String("out", "", "output `DIR`")
	rf := addRunFlags(fs, "cells")
	pos, err := fs.parse(args)
	if err != nil {
		return err
	}
	if *out == "" || len(pos) != 1 {
		return fs.fail()
	}
	name := pos[0]
	if !slices.Contains(exp.Scales, *scale) {
		return usagef("--scale %q: want tiny, small or paper", *scale)
	}
	if err := rf.checkCells(); err != nil {
		return err
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
	return exp.Run(ctx, e, *scale, *out, exp.Options{Workers: *rf.workers, Index: *rf.index, Emit: *rf.emit, Resources: rf.res.res, Exe: exe, TrainArgs: extra, Sets: rf.sets, Log: os.Stderr})
}
