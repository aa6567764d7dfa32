package optim

import (
	"math"
	"testing"

	"wdlab/internal/nn"
)

func TestClipGradNorm(t *testing.T) {
	a := param("a", true, []float32{0, 0}, []float32{3, 0})
	b := param("b", false, []float32{0}, []float32{4})
	frozen := param("f", true, []float32{0}, []float32{100})
	frozen.Frozen = true
	all := []*nn.Param{a, b, frozen}

	norm, clipped := ClipGradNorm(all, 10)
	if norm != 5 || clipped {
		t.Fatalf("maxNorm 10: got (%v, %v), want (5, false)", norm, clipped)
	}
	near(t, "unclipped a", a.G, []float64{3, 0}, 0)

	norm, clipped = ClipGradNorm(all, 1)
	if norm != 5 || !clipped {
		t.Fatalf("maxNorm 1: got (%v, %v), want (5, true)", norm, clipped)
	}
	s := 1 / (5 + 1e-6)
	near(t, "a", a.G, []float64{3 * s, 0}, 1e-7)
	near(t, "b", b.G, []float64{4 * s}, 1e-7)
	near(t, "frozen", frozen.G, []float64{100}, 0)

	b.G[0] = float32(math.Inf(1))
	if norm, clipped = ClipGradNorm(all, 1); !math.IsInf(norm, 1) || clipped || a.G[0] == 0 {
		t.Errorf("inf gradient: got (%v, %v), a.G = %v; want (+Inf, false) and a untouched", norm, clipped, a.G)
	}
}
