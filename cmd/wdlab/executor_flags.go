package main

// runFlags are the flags of the commands that start training processes
// (sweep, exp run): --executor, --gomlx-backend and repeatable --set, which
// every `wdlab train` they start receives, emitted cluster jobs included,
// and --workers, --index and --emit with the emitted job's resources,
// which choose how the cells run.
type runFlags struct {
	fs                *cmdFlags
	executor, backend *string
	sets              stringList
	workers, index    *int
	emit              *string
	res               *emitFlags
}

// addRunFlags registers the run flags on fs; what names the cells ("cells",
// "training processes") completes the flags' help.
func addRunFlags(fs *cmdFlags, what string) *runFlags {
	f := &runFlags{
		fs:       fs,
		workers:  fs.Int("workers", 0, "`N` "+what+" run at once (default: the sweep's or experiment's, else 1)"),
		index:    fs.Int("index", -1, "run only the cell with index `I` (cluster array tasks; -1: all)"),
		emit:     fs.String("emit", "", "write a cluster job instead of running: `slurm|k8s`"),
		executor: fs.String("executor", "", "executor of every run (`native|gomlx|dnnl`; default: the config's)"),
		backend:  fs.String("gomlx-backend", "", "GoMLX backend `SPEC` of every run: go or xla:/abs/path/plugin.so"),
	}
	fs.Var(&f.sets, "set", "`key=value` override of every run, e.g. data.dir=/data (repeatable; not a grid axis)")
	f.res = addEmitFlags(fs.FlagSet)
	return f
}

// checkCells rejects --workers, --index and --emit values and combinations
// that cannot run: a cluster array task runs one cell, so --index excludes
// both --workers and --emit; resource flags need --emit.
func (f *runFlags) checkCells() error {
	if err := f.res.check(*f.emit); err != nil {
		return err
	}
	set := f.fs.isSet
	switch {
	case set("workers") && set("index"):
		return usagef("--workers and --index exclude each other (%s)", f.fs.usage())
	case set("workers") && *f.workers < 1:
		return usagef("--workers %d: want at least 1", *f.workers)
	case set("index") && *f.index < 0:
		return usagef("--index %d: want a cell index >= 0", *f.index)
	case set("index") && set("emit"):
		return usagef("--index and --emit exclude each other (%s)", f.fs.usage())
	case set("emit") && *f.emit != "slurm" && *f.emit != "k8s":
		return usagef("--emit %q: want slurm or k8s", *f.emit)
	}
	return nil
}

// trainArgs checks the executor flags and returns them as `wdlab train`
// arguments (the --set values are checked against the sweep by AddSets).
func (f *runFlags) trainArgs() ([]string, error) {
	var args []string
	switch *f.executor {
	case "":
	case "native", "gomlx", "dnnl":
		args = append(args, "--executor", *f.executor)
	default:
		return nil, usagef("--executor %q: want native, gomlx or dnnl", *f.executor)
	}
	if *f.backend != "" {
		if err := checkBackendSpec(*f.backend); err != nil {
			return nil, err
		}
		args = append(args, "--gomlx-backend", *f.backend)
	}
	return args, nil
}
