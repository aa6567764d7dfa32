package main

import "flag"

// runFlags are the flags of the commands that start training processes
// (sweep, exp run) which every `wdlab train` they start receives, emitted
// cluster jobs included: --executor, --gomlx-backend and repeatable --set.
type runFlags struct {
	executor, backend *string
	sets              stringList
}

// addRunFlags registers the run flags on fs.
func addRunFlags(fs *flag.FlagSet) *runFlags {
	f := &runFlags{
		executor: fs.String("executor", "", "executor of every run (native|gomlx|dnnl; default: the config's)"),
		backend:  fs.String("gomlx-backend", "", "GoMLX backend of every run: go or xla:/abs/path/plugin.so"),
	}
	fs.Var(&f.sets, "set", "key=value override of every run, e.g. data.dir=/data (repeatable; not a grid axis)")
	return f
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
