package train

import "wdlab/internal/tokens"

// accStep is LMRunner.step on the accelerator: the grad_accum micro-batches
// are drawn as the native loop draws them and handed over together.
func (r *LMRunner) accStep(t int) (loss, gradNorm float64, clipped bool, err error) {
	ctx, b := r.Cfg.Model.Ctx, r.Cfg.Train.BatchSize
	n := b * ctx
	k := r.Cfg.Train.GradAccum
	for i := range k {
		if err := r.Sampler.Next(r.starts); err != nil {
			return 0, 0, false, err
		}
		tokens.Fill(r.Train, r.starts, ctx, r.accX[i*n:(i+1)*n], r.accY[i*n:(i+1)*n])
	}
	s, err := r.Acc.Step(Batch{IDs: r.accX, Y: r.accY, N: b, T: ctx, K: k}, r.lr(t), r.Cfg.Optim.WD)
	if err != nil {
		return 0, 0, false, err
	}
	r.accNorm = s.DecayedNorm
	return s.Loss, s.GradNorm, s.Clipped, nil
}
