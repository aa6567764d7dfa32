package optim

import (
	"math"
	"testing"

	"wdlab/internal/nn"
)

// param builds a trainable parameter with the given weights and gradient.
func param(name string, decay bool, w, g []float32) *nn.Param {
	return &nn.Param{Name: name, Shape: []int{len(w)}, W: w, G: g, Decay: decay}
}

// fixture is the shared four-parameter model of the hand-computed tests:
// a decayed parameter, a non-decayed one, a frozen one and a buffer.
func fixture() (a, b, frozen, buf *nn.Param, all []*nn.Param) {
	a = param("a", true, []float32{2, -4}, []float32{1, 0.5})
	b = param("b", false, []float32{1}, []float32{0.25})
	frozen = param("frozen", true, []float32{3}, []float32{1})
	frozen.Frozen = true
	buf = &nn.Param{Name: "buf", Shape: []int{1}, W: []float32{5}, Buffer: true}
	return a, b, frozen, buf, []*nn.Param{a, b, frozen, buf}
}

// near fails unless got and want agree within tol element-wise.
func near(t *testing.T, what string, got []float32, want []float64, tol float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d values, want %d", what, len(got), len(want))
	}
	for i := range got {
		if math.Abs(float64(got[i])-want[i]) > tol {
			t.Errorf("%s[%d] = %.10g, want %.10g", what, i, got[i], want[i])
		}
	}
}

// untouched fails if the frozen parameter or the buffer changed.
func untouched(t *testing.T, frozen, buf *nn.Param) {
	t.Helper()
	if frozen.W[0] != 3 || buf.W[0] != 5 {
		t.Errorf("frozen = %v, buffer = %v; want 3 and 5 untouched", frozen.W, buf.W)
	}
}
