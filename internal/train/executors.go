package train

import "wdlab/internal/config"

// Executor builds the accelerator of one config.executor other than
// "native" for a run, vision (AccelSpec.Desc) or LM (AccelSpec.GPT).
type Executor func(s AccelSpec) (Accelerator, error)

// Executors maps config.executor names to their accelerators. The binary
// passes them in Options, which keeps package train free of GoMLX and the
// other engines.
type Executors map[string]Executor

// checkExecutor refuses, before anything is written, a config.executor that
// the caller did not provide.
func (o Options) checkExecutor(name string) error {
	if name != "native" && o.Executors[name] == nil {
		return config.Inputf("executor %q is not available in this build", name)
	}
	return nil
}
