package probe

import (
	"math"
	"testing"

	"wdlab/internal/nn"
)

// Hand-made batch: logits (0, 0) with label 0 give p = (1/2, 1/2),
// ||p - e_0||^2 = 1/2 and 1 - p_y = 1/2; logits (ln 3, 0) with label 1 give
// p = (3/4, 1/4), ||p - e_1||^2 = 9/8 and 1 - p_y = 3/4.
func TestNoiseKnownAnswer(t *testing.T) {
	logits := &nn.Tensor{Shape: []int{2, 2}, Data: []float32{0, 0, float32(math.Log(3)), 0}}
	var s Noise
	s.Add(logits, []int32{0, 1})
	if s.N != 2 || math.Abs(s.MeanEllPrime2()-0.8125) > 1e-6 || math.Abs(s.MeanOneMinusPy()-0.625) > 1e-6 {
		t.Errorf("noise = %+v: mean ell'^2 %v (want 0.8125), mean 1-p_y %v (want 0.625)",
			s, s.MeanEllPrime2(), s.MeanOneMinusPy())
	}
}

// NoiseScale over a dataset equals the per-batch statistics pooled, for
// any batch size.
func TestNoiseScaleBatchInvariant(t *testing.T) {
	m := linearSoftmax(t, 5, 4)
	ds := vectors(23, 5, 4, 8)
	a, b := NoiseScale(m, ds, 23), NoiseScale(m, ds, 4)
	if a.N != 23 || b.N != 23 || relErr(b.EllPrime2, a.EllPrime2) > 1e-12 || relErr(b.OneMinusPy, a.OneMinusPy) > 1e-12 {
		t.Errorf("batch 23 gives %+v, batch 4 gives %+v", a, b)
	}
}
