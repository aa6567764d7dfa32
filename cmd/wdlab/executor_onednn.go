package main

import (
	"wdlab/internal/bench"
	"wdlab/internal/config"
	"wdlab/internal/dnnl"
	"wdlab/internal/nn"
	"wdlab/internal/optim"
	"wdlab/internal/train"
)

// This file sorts after executor_gomlx.go, so its init runs second and
// wraps the GoMLX factory (TestAcceleratorDispatch checks both routes).
func init() {
	gomlx := train.AcceleratorFactory
	train.AcceleratorFactory = func(r *train.Runner) (train.Accelerator, error) {
		if r.Cfg.Executor == "dnnl" {
			return newDnnlAccelerator(r)
		}
		return gomlx(r)
	}
	config.DefaultExecutor = defaultExecutor
}

// defaultExecutor runs the convolutional vision models on oneDNN when this
// build has it; everything else (BN-MLP, the GPT) on the native engine.
func defaultExecutor(c config.Config) string {
	if dnnl.Available() && dnnlArch(c.Model.Arch) {
		return "dnnl"
	}
	return "native"
}

// dnnlArch reports whether the oneDNN executor covers an architecture
// (those with a convolutional trunk).
func dnnlArch(arch string) bool {
	return arch == "preact-resnet" || arch == "preact-resnet-si" || arch == "vgg16"
}

// dnnlAccelerator adapts the oneDNN executor to train.Accelerator. It
// computes gradients into the runner's native model and applies the run's
// own optimizer and EMA to it, so Pull has nothing to copy. It relies on
// Runner.Model, Runner.Opt, Runner.EMA and train.IsScaleInv.
type dnnlAccelerator struct {
	ex    *dnnl.Executor
	r     *train.Runner
	si    [][]float32 // scale-invariant weights before the step
	angle float64
}

func newDnnlAccelerator(r *train.Runner) (train.Accelerator, error) {
	ex, err := dnnl.New(r.Model)
	if err != nil {
		return nil, err
	}
	return &dnnlAccelerator{ex: ex, r: r, si: optim.SnapshotParams(r.Model.Params(), train.IsScaleInv)}, nil
}

// TrainStep computes gradients on oneDNN, then steps the optimizer and EMA.
func (a *dnnlAccelerator) TrainStep(x []float32, y []int32, n int, lr, wd float64) (float64, error) {
	m := a.r.Model
	m.ZeroGrad()
	loss, err := a.ex.Step(x, y, n)
	if err != nil {
		return 0, err
	}
	a.r.Opt.Step(m.Params(), lr, wd)
	if a.r.EMA != nil {
		a.r.EMA.Update(m.Params())
	}
	cur := optim.SnapshotParams(m.Params(), train.IsScaleInv)
	if len(cur) > 0 {
		a.angle = optim.AngularUpdate(a.si, cur)
	}
	a.si = cur
	return loss, nil
}

// AngularUpdate is the scale-invariant group's angle of the last step.
func (a *dnnlAccelerator) AngularUpdate() float64 { return a.angle }

// Pull does nothing: parameters, BN statistics, optimizer and EMA state
// already live on the native side.
func (a *dnnlAccelerator) Pull(*train.Runner) error { return nil }

// Push restarts the angle reference after the native weights changed.
func (a *dnnlAccelerator) Push(r *train.Runner) error {
	a.si = optim.SnapshotParams(r.Model.Params(), train.IsScaleInv)
	return nil
}

func (a *dnnlAccelerator) Close() { a.ex.Close() }

// dnnlStepper is the oneDNN executor as a bench.Stepper.
func dnnlStepper(m *nn.Model) (bench.Stepper, error) { return dnnl.New(m) }
