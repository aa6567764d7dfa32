package main

import (
	"wdlab/internal/train"
	"wdlab/internal/xla"
)

// executors are the engines `wdlab train` can hand a run's steps to
// besides the native one, by config.executor name.
var executors = train.Executors{
	"gomlx": {Vision: newGomlxAccelerator, LM: newGomlxLMAccelerator},
}

// gomlxAccelerator adapts the GoMLX executor to train.Accelerator.
type gomlxAccelerator struct{ ex *xla.Executor }

func newGomlxAccelerator(r *train.Runner) (train.Accelerator, error) {
	ex, err := xla.NewWithConfig(r.Desc, r.Model.Params(), xla.Config{Backend: r.Cfg.GomlxBackend, Optimizer: r.Opt, EMA: r.EMA})
	if err != nil {
		return nil, err
	}
	return &gomlxAccelerator{ex}, nil
}

func (a *gomlxAccelerator) TrainStep(x []float32, y []int32, n int, lr, wd float64) (float64, error) {
	return a.ex.TrainStep(x, y, n, lr, wd)
}

func (a *gomlxAccelerator) AngularUpdate() float64 { return a.ex.AngularUpdate() }

// Pull copies parameters, BN statistics, optimizer and EMA state to the native side.
func (a *gomlxAccelerator) Pull(r *train.Runner) error {
	if err := a.ex.ReadParams(r.Model.Params()); err != nil {
		return err
	}
	if r.EMA != nil {
		st, err := a.ex.EMAState()
		if err != nil {
			return err
		}
		if err := r.EMA.LoadState(st); err != nil {
			return err
		}
	}
	st, err := a.ex.OptimizerState()
	if err != nil {
		return err
	}
	return r.Opt.LoadState(st)
}

// Push copies native parameters into the executor.
func (a *gomlxAccelerator) Push(r *train.Runner) error { return a.ex.WriteParams(r.Model.Params()) }

func (a *gomlxAccelerator) Close() { a.ex.Close() }

// gomlxLMAccelerator adapts the GoMLX GPT executor to train.LMAccelerator.
type gomlxLMAccelerator struct{ ex *xla.GPTExecutor }

func newGomlxLMAccelerator(r *train.LMRunner) (train.LMAccelerator, error) {
	ex, err := xla.NewGPT(r.Model.Config, r.Model.Params(), xla.GPTOptions{
		Backend: r.Cfg.GomlxBackend, Optimizer: r.Opt, EMA: r.EMA, BF16: r.Model.BF16, GradClip: r.Cfg.Optim.GradClip})
	if err != nil {
		return nil, err
	}
	return &gomlxLMAccelerator{ex}, nil
}

func (a *gomlxLMAccelerator) Step(ids, targets []int32, b, t, k int, lr, wd float64) (train.LMStep, error) {
	s, err := a.ex.TrainStepAccum(ids, targets, b, t, k, lr, wd)
	return train.LMStep{Loss: s.Loss, GradNorm: s.GradNorm, Clipped: s.Clipped, DecayedNorm: s.DecayedNorm}, err
}

func (a *gomlxLMAccelerator) Eval(ids, targets []int32, b, t int, ema bool) (float64, int, error) {
	return a.ex.EvalLoss(ids, targets, b, t, ema)
}

// Pull copies weights, optimizer and EMA state to the native side.
func (a *gomlxLMAccelerator) Pull(r *train.LMRunner) error {
	if err := a.ex.ReadParams(r.Model.Params()); err != nil {
		return err
	}
	if r.EMA != nil {
		st, err := a.ex.EMAState()
		if err == nil {
			err = r.EMA.LoadState(st)
		}
		if err != nil {
			return err
		}
	}
	st, err := a.ex.OptimizerState()
	if err != nil {
		return err
	}
	return r.Opt.LoadState(st)
}

func (a *gomlxLMAccelerator) Close() { a.ex.Close() }
