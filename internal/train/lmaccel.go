package train

import "wdlab/internal/tokens"

// LMStep is what one accelerated LM optimizer step reports.
type LMStep struct {
	Loss, GradNorm float64
	Clipped        bool
	// DecayedNorm is the weight-decayed group's norm after the update.
	DecayedNorm float64
}

// LMAccelerator runs the optimizer steps and evaluations of an LM run on
// another executor (the GoMLX/XLA executor); metrics that need the weights
// (norms, checkpoints) read the native model after Pull, which copies the
// weights, optimizer and EMA state into the LMRunner.
type LMAccelerator interface {
	// Step runs one optimizer step on k micro-batches of b sequences of t
	// tokens each (ids and targets hold k*b*t tokens), accumulating the
	// micro-batches' gradients as the native loop does.
	Step(ids, targets []int32, b, t, k int, lr, wd float64) (LMStep, error)
	// Eval returns the mean token loss and wrong arg-max count of the
	// iterate, or of the EMA when ema is set.
	Eval(ids, targets []int32, b, t int, ema bool) (loss float64, wrong int, err error)
	Pull(r *LMRunner) error
	Close()
}

// accStep is LMRunner.step on the accelerator: the grad_accum micro-batches
// are drawn as the native loop draws them and handed over together.
func (r *LMRunner) accStep(t int) (loss, gradNorm float64, clipped bool, err error) {
	ctx, b := r.Cfg.Model.Ctx, r.Cfg.Train.BatchSize
	n := b * ctx
	for k := range r.Cfg.Train.GradAccum {
		if err := r.Sampler.Next(r.starts); err != nil {
			return 0, 0, false, err
		}
		tokens.Fill(r.Train, r.starts, ctx, r.accX[k*n:(k+1)*n], r.accY[k*n:(k+1)*n])
	}
	s, err := r.Acc.Step(r.accX, r.accY, b, ctx, r.Cfg.Train.GradAccum, r.lr(t), r.Cfg.Optim.WD)
	if err != nil {
		return 0, 0, false, err
	}
	r.accNorm = s.DecayedNorm
	return s.Loss, s.GradNorm, s.Clipped, nil
}
