package main

import (
	"errors"

	"wdlab/internal/nn"
	"wdlab/internal/train"
	"wdlab/internal/xla"
)

// gomlxAccelerator adapts the GoMLX executors (vision and GPT) to
// train.Accelerator; the GPT one is also a train.Evaluator.
type gomlxAccelerator struct {
	ex   gomlxStore
	step func(b train.Batch, lr, wd float64) (train.StepResult, error)
}

// gomlxStore is the state access both GoMLX executors share.
type gomlxStore interface {
	ReadParams(params []*nn.Param) error
	WriteParams(params []*nn.Param) error
	OptimizerState() (map[string][]float32, error)
	EMAState() (map[string][]float32, error)
	Close()
}

// gomlxGPTAccelerator adds the GPT executor's evaluations.
type gomlxGPTAccelerator struct {
	gomlxAccelerator
	gpt *xla.GPTExecutor
}

func newGomlxAccelerator(s train.AccelSpec) (train.Accelerator, error) {
	backend := s.Cfg.GomlxBackend
	switch {
	case s.Desc != nil:
		ex, err := xla.NewWithConfig(*s.Desc, s.State.Params, xla.Config{Backend: backend, Optimizer: s.State.Opt, EMA: s.State.EMA})
		if err != nil {
			return nil, err
		}
		return &gomlxAccelerator{ex: ex, step: func(b train.Batch, lr, wd float64) (train.StepResult, error) {
			loss, err := ex.TrainStep(b.X, b.Y, b.N, lr, wd)
			return train.StepResult{Loss: loss, Angle: ex.AngularUpdate()}, err
		}}, nil
	case s.GPT != nil:
		ex, err := xla.NewGPT(*s.GPT, s.State.Params, xla.GPTOptions{
			Backend: backend, Optimizer: s.State.Opt, EMA: s.State.EMA, BF16: s.Cfg.Precision == "bf16", GradClip: s.Cfg.Optim.GradClip})
		if err != nil {
			return nil, err
		}
		return &gomlxGPTAccelerator{gomlxAccelerator{ex: ex, step: func(b train.Batch, lr, wd float64) (train.StepResult, error) {
			r, err := ex.TrainStepAccum(b.IDs, b.Y, b.N, b.T, b.K, lr, wd)
			return train.StepResult{Loss: r.Loss, GradNorm: r.GradNorm, Clipped: r.Clipped, DecayedNorm: r.DecayedNorm}, err
		}}, ex}, nil
	}
	return nil, errors.New("gomlx executor: the run has neither a vision model nor a GPT")
}

func (a *gomlxAccelerator) Step(b train.Batch, lr, wd float64) (train.StepResult, error) {
	return a.step(b, lr, wd)
}

// Pull copies parameters, BN statistics, optimizer and EMA state to the native side.
func (a *gomlxAccelerator) Pull(s train.State) error {
	if err := a.ex.ReadParams(s.Params); err != nil {
		return err
	}
	if s.EMA != nil {
		st, err := a.ex.EMAState()
		if err == nil {
			err = s.EMA.LoadState(st)
		}
		if err != nil {
			return err
		}
	}
	st, err := a.ex.OptimizerState()
	if err != nil {
		return err
	}
	return s.Opt.LoadState(st)
}

// Push copies native parameters into the executor.
func (a *gomlxAccelerator) Push(s train.State) error { return a.ex.WriteParams(s.Params) }

func (a *gomlxAccelerator) Close() { a.ex.Close() }

// Eval evaluates one LM batch on the device.
func (a *gomlxGPTAccelerator) Eval(b train.Batch, ema bool) (float64, int, error) {
	return a.gpt.EvalLoss(b.IDs, b.Y, b.N, b.T, ema)
}
