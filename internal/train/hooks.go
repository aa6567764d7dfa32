package train

// Hook measures extra quantities at the end of an epoch (after the iterate
// and EMA evaluations) and adds them to that epoch's metrics. Hooks must be
// deterministic functions of the run state, seed and epoch so that resumed
// runs reproduce them.
type Hook interface {
	AfterEpoch(r *Runner, epoch int, metrics map[string]float64) error
}

// HookFactory returns the hook for a run, or nil when the run's config
// does not switch it on. The caller lists the factories in Options.Hooks.
type HookFactory func(r *Runner) Hook
