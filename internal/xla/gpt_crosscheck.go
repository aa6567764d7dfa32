package xla

import (
	"fmt"
	"math"
	"math/rand/v2"

	"wdlab/internal/nn"
	"wdlab/internal/optim"
)

// CrossCheckGPT initialises a GPT of shape cfg with seed, then on backend
// and on the native engine computes the loss and gradients of one random
// batch of batch x cfg.Ctx tokens and runs steps AdamW steps (lr 1e-3, WD
// 0.1 on matrices and embeddings, clipping at 1) on further random
// batches, and reports the largest differences as CheckResult does.
func CrossCheckGPT(cfg nn.GPTConfig, backend string, batch, steps int, seed uint64) (CheckResult, error) {
	r := CheckResult{Steps: steps}
	if batch < 1 || steps < 0 {
		return r, fmt.Errorf("xla: GPT cross-check needs batch >= 1 and steps >= 0, got %d and %d", batch, steps)
	}
	m, err := nn.NewGPT(cfg)
	if err != nil {
		return r, fmt.Errorf("xla: %w", err)
	}
	m.Init(seed)
	e, err := NewGPT(cfg, m.Params(), GPTOptions{Backend: backend, Optimizer: optim.NewAdamW(), GradClip: 1})
	if err != nil {
		return r, err
	}
	defer e.Close()
	rng := rand.New(rand.NewPCG(seed, 7))
	n := batch * cfg.Ctx
	ids, tgt := make([]int32, n), make([]int32, n)
	fill := func() {
		for i := range ids {
			ids[i], tgt[i] = int32(rng.IntN(cfg.Vocab)), int32(rng.IntN(cfg.Vocab))
		}
	}
	native := func() float64 {
		m.ZeroGrad()
		loss, _, g := nn.LMCrossEntropy(m.Forward(ids, batch, cfg.Ctx, nn.Train), tgt)
		m.Backward(g)
		return loss
	}
	fill()
	var grads map[string][]float32
	if r.Loss, grads, err = e.Gradients(ids, tgt, batch, cfg.Ctx); err != nil {
		return r, err
	}
	r.NativeLoss = native()
	for _, p := range m.Params() {
		if d := l2diff(grads[p.Name], p.G) / math.Max(l2(p.G), 1e-12); worse(d, r.GradRelErr) {
			r.GradRelErr, r.GradWorst = d, p.Name
		}
	}
	opt := optim.NewAdamW()
	const lr, wd = 1e-3, 0.1
	for range steps {
		fill()
		if _, err := e.TrainStep(ids, tgt, batch, cfg.Ctx, lr, wd); err != nil {
			return r, err
		}
		native()
		optim.ClipGradNorm(m.Params(), 1)
		opt.Step(m.Params(), lr, wd)
	}
	out, err := nn.NewGPT(cfg)
	if err != nil {
		return r, err
	}
	err = r.compareParams(e.ReadParams, out.Params(), m.Params())
	return r, err
}
