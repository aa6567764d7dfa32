package optim

import (
	"fmt"
	"math"
)

// WarmupCosine is the LM schedule of the paper's Section 3 (linear warm-up,
// then cosine decay), exactly as the repo's
// get_lr computes it:
//
//	t < Warmup:              Max * t / Warmup      (0 at t = 0; later nanoGPT
//	                                                versions use (t+1)/(Warmup+1),
//	                                                the paper's code does not)
//	t > DecayEnd:            Min
//	otherwise:               Min + (1 + cos(pi*(t-Warmup)/(DecayEnd-Warmup)))/2 * (Max - Min)
//
// "Constant LR" runs use Min = Max, which keeps the warm-up.
type WarmupCosine struct {
	Max, Min         float64
	Warmup, DecayEnd int
}

// At returns the learning rate of step t.
func (s WarmupCosine) At(t int) float64 {
	if t < s.Warmup {
		return s.Max * float64(t) / float64(s.Warmup)
	}
	if t > s.DecayEnd {
		return s.Min
	}
	ratio := 0.0
	if s.DecayEnd > s.Warmup {
		ratio = float64(t-s.Warmup) / float64(s.DecayEnd-s.Warmup)
	}
	coeff := 0.5 * (1 + math.Cos(math.Pi*ratio))
	return s.Min + coeff*(s.Max-s.Min)
}

// Validate reports a negative warm-up or a decay end before the warm-up end.
func (s WarmupCosine) Validate() error {
	if s.Warmup < 0 {
		return fmt.Errorf("optim: cosine warm-up %d must be >= 0", s.Warmup)
	}
	if s.DecayEnd < s.Warmup {
		return fmt.Errorf("optim: cosine decay end %d before warm-up end %d", s.DecayEnd, s.Warmup)
	}
	return nil
}
