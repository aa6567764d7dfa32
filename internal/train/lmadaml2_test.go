package train

import (
	"math"
	"testing"

	"wdlab/internal/nn"
	"wdlab/internal/optim"
	"wdlab/internal/tokens"
)

// An Adam+L2 LM step clips the full gradient g + wd*w and reports its
// norm, as the paper's code does (it adds the penalty to the loss): the
// step matches one computed by hand from the same batch.
func TestLMAdamL2ClipsFullGradient(t *testing.T) {
	cfg := lmCfg(t)
	cfg.Optim.Name, cfg.Optim.WD, cfg.Optim.GradClip = "adam-l2", 3, 0.5
	r, err := newLMRunner(cfg, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	ref, err := newLMRunner(cfg, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	_, gn, clipped, err := r.step(0)
	if err != nil {
		t.Fatal(err)
	}
	// The reference: same batch, gradient plus wd*w on the decayed
	// weights, clipped, then a plain Adam step (wd 0).
	ctx, b := cfg.Model.Ctx, cfg.Train.BatchSize
	ps := ref.Model.Params()
	ref.Model.ZeroGrad()
	if err := ref.Sampler.Next(ref.starts); err != nil {
		t.Fatal(err)
	}
	tokens.Fill(ref.Train, ref.starts, ctx, ref.x, ref.y)
	_, _, g := nn.LMCrossEntropy(ref.Model.Forward(ref.x, b, ctx, nn.Train), ref.y)
	ref.Model.Backward(g)
	var plain, full float64
	for _, p := range ps {
		if !p.Trainable() {
			continue
		}
		for i := range p.G {
			plain += float64(p.G[i]) * float64(p.G[i])
			if p.Decay {
				p.G[i] += float32(float32(cfg.Optim.WD) * p.W[i])
			}
			full += float64(p.G[i]) * float64(p.G[i])
		}
	}
	if want := math.Sqrt(full); math.Abs(gn-want) > 1e-9*want || !clipped {
		t.Fatalf("reported grad norm %v (clipped %v), want %v with the penalty (%v without)", gn, clipped, want, math.Sqrt(plain))
	}
	optim.ClipGradNorm(ps, cfg.Optim.GradClip)
	opt := optim.NewAdamW()
	opt.Step(ps, ref.lr(0), 0)
	got, want := r.Opt.State(), opt.State()
	for k, w := range want {
		for i := range w {
			if got[k][i] != w[i] {
				t.Fatalf("%s[%d] = %v, want %v (Adam fed the clipped full gradient)", k, i, got[k][i], w[i])
			}
		}
	}
}
