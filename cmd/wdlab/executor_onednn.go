package main

import (
	"errors"

	"wdlab/internal/bench"
	"wdlab/internal/config"
	"wdlab/internal/dnnl"
	"wdlab/internal/nn"
	"wdlab/internal/optim"
	"wdlab/internal/train"
)

// The binary's default executor: oneDNN for the convolutional nets where
// this build has it (config.Load resolves an unset config.executor with it).
func init() { config.DefaultExecutor = defaultExecutor }

// defaultExecutor runs the convolutional vision models on oneDNN when this
// build has it; everything else (BN-MLP, the GPT) on the native engine.
func defaultExecutor(c config.Config) string {
	if dnnl.Available() && config.ConvArch(c.Model.Arch) {
		return "dnnl"
	}
	return "native"
}

// dnnlAccelerator adapts the oneDNN executor to train.Accelerator. It
// computes gradients into the run's native model and applies the run's
// own optimizer and EMA to it, so Pull has nothing to copy.
type dnnlAccelerator struct {
	ex     *dnnl.Executor
	m      *nn.Model
	s      train.State
	si     [][]float32                  // scale-invariant weights before the step
	others map[*nn.Model]*dnnl.Executor // forward passes of other models (the EMA copy)
}

func newDnnlAccelerator(s train.AccelSpec) (train.Accelerator, error) {
	if s.Model == nil {
		return nil, errors.New("oneDNN executor: it trains the convolutional vision models only")
	}
	ex, err := dnnl.New(s.Model)
	if err != nil {
		return nil, err
	}
	return &dnnlAccelerator{ex: ex, m: s.Model, s: s.State, si: optim.SnapshotParams(s.State.Params, train.IsScaleInv),
		others: map[*nn.Model]*dnnl.Executor{}}, nil
}

// Step computes gradients on oneDNN, then steps the optimizer and EMA and
// measures the scale-invariant group's angle.
func (a *dnnlAccelerator) Step(b train.Batch, lr, wd float64) (train.StepResult, error) {
	a.m.ZeroGrad()
	loss, err := a.ex.Step(b.X, b.Y, b.N)
	if err != nil {
		return train.StepResult{}, err
	}
	a.s.Opt.Step(a.s.Params, lr, wd)
	return train.StepResult{Loss: loss, Angle: a.s.AfterStep(&a.si)}, nil
}

// Pull does nothing: parameters, BN statistics, optimizer and EMA state
// already live on the native side.
func (a *dnnlAccelerator) Pull(train.State) error { return nil }

// Push restarts the angle reference after the native weights changed.
func (a *dnnlAccelerator) Push(s train.State) error {
	a.si = optim.SnapshotParams(s.Params, train.IsScaleInv)
	return nil
}

var _ train.Forwarder = (*dnnlAccelerator)(nil)

// Forward runs m's forward pass on oneDNN (train.Forwarder): the run's
// model on the training executor, another (the EMA copy) on an executor of
// its own, made at its first pass.
func (a *dnnlAccelerator) Forward(m *nn.Model, x *nn.Tensor, mode nn.Mode) (*nn.Tensor, error) {
	ex := a.ex
	if m != a.m {
		if ex = a.others[m]; ex == nil {
			var err error
			if ex, err = dnnl.New(m); err != nil {
				return nil, err
			}
			a.others[m] = ex
		}
	}
	return ex.Forward(x.Data, x.Shape[0], mode)
}

// Close frees every executor.
func (a *dnnlAccelerator) Close() {
	a.ex.Close()
	for _, ex := range a.others {
		ex.Close()
	}
}

// dnnlStepper is the oneDNN executor as a bench.Stepper.
func dnnlStepper(m *nn.Model) (bench.Stepper, error) { return dnnl.New(m) }
