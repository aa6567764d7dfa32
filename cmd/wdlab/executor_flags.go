package main

import "flag"

// executorFlags are --executor and --gomlx-backend of the commands that
// start training processes (sweep, exp run): they are passed on to every
// `wdlab train` they start, and to the commands of emitted cluster jobs.
type executorFlags struct{ executor, backend *string }

// addExecutorFlags registers the executor flags on fs.
func addExecutorFlags(fs *flag.FlagSet) executorFlags {
	return executorFlags{
		executor: fs.String("executor", "", "executor of every run (native|gomlx; default: the config's)"),
		backend:  fs.String("gomlx-backend", "", "GoMLX backend of every run: go or xla:/abs/path/plugin.so"),
	}
}

// trainArgs checks the flags and returns them as `wdlab train` arguments.
func (f executorFlags) trainArgs() ([]string, error) {
	var args []string
	switch *f.executor {
	case "":
	case "native", "gomlx":
		args = append(args, "--executor", *f.executor)
	default:
		return nil, usagef("--executor %q: want native or gomlx", *f.executor)
	}
	if *f.backend != "" {
		if err := checkBackendSpec(*f.backend); err != nil {
			return nil, err
		}
		args = append(args, "--gomlx-backend", *f.backend)
	}
	return args, nil
}
