package train

// Accelerator runs the training steps of a vision run on another executor
// (the GoMLX/XLA executor), while evaluation, probes and checkpoints stay on
// the native model: Pull copies parameters, BN statistics, optimizer and EMA
// state into the Runner before those, Push copies native parameters back
// after anything changed them (sphere projection).
type Accelerator interface {
	TrainStep(x []float32, y []int32, n int, lr, wd float64) (loss float64, err error)
	// AngularUpdate is the scale-invariant group's angle of the last step.
	AngularUpdate() float64
	Pull(r *Runner) error
	Push(r *Runner) error
	Close()
}
