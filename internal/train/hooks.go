package train

// Hook measures extra quantities at each evaluation point (after the
// iterate and EMA evaluations) and adds them to that point's metrics. The
// epoch argument is the point's position in the run's unit: its epoch, or
// its step in a run budgeted in train.steps. Hooks must be deterministic
// functions of the run state, seed and that position so that resumed runs
// reproduce them.
type Hook interface {
	AfterEpoch(r *Runner, epoch int, metrics map[string]float64) error
}

// HookFactory returns the hook for a run, or nil when the run's config
// does not switch it on. The caller lists the factories in Options.Hooks.
type HookFactory func(r *Runner) Hook
