package train

import (
	"math"
	"testing"
)

// optim.decay_steps sets the cosine's length apart from train.steps: with
// twice the steps, the run ends half-way down the cosine, at (max+min)/2.
func TestLMCosineDecayLength(t *testing.T) {
	cfg := lmCfg(t) // warm-up 2, lr 0.01 -> 0.001 over 12 steps
	cfg.Optim.Warmup, cfg.Optim.DecaySteps = 0, 24
	r, err := newLMRunner(cfg, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if got, want := r.Sched.At(cfg.Train.Steps), 0.0055; math.Abs(got-want) > 1e-12 {
		t.Fatalf("lr at the last step %v, want %v (half-way down a 24-step cosine)", got, want)
	}
	if got := r.Sched.At(24); math.Abs(got-0.001) > 1e-12 {
		t.Fatalf("lr at decay_steps %v, want min_lr 0.001", got)
	}
}
