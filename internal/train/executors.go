package train

import "wdlab/internal/config"

// Executor builds the accelerators of one config.executor other than
// "native": Vision for vision runs, LM for LM runs (nil where the executor
// does not run that regime).
type Executor struct {
	Vision func(r *Runner) (Accelerator, error)
	LM     func(r *LMRunner) (LMAccelerator, error)
}

// Executors maps config.executor names to their accelerators. The binary
// passes them in Options, which keeps package train free of GoMLX and the
// other engines.
type Executors map[string]Executor

// checkExecutor refuses, before anything is written, a config.executor that
// the caller did not provide for the run's regime.
func (o Options) checkExecutor(name string, lm bool) error {
	if name == "native" {
		return nil
	}
	e, ok := o.Executors[name]
	if !ok || (lm && e.LM == nil) || (!lm && e.Vision == nil) {
		return config.Inputf("executor %q is not available in this build", name)
	}
	return nil
}
