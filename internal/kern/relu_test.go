package kern

import (
	"math"
	"math/rand/v2"
	"testing"
)

// ReLU and ReLUGrad match their scalar reference on awkward lengths, with
// zeros, negative zeros, NaN and infinities among the inputs.
func TestReLUMatchesReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	special := []float32{0, float32(math.Copysign(0, -1)), float32(math.NaN()), float32(math.Inf(1)), float32(math.Inf(-1)), 1e-45, -1e-45}
	for _, n := range []int{0, 1, 7, 8, 9, 16, 31, 1000} {
		src, dy := make([]float32, n), make([]float32, n)
		for i := range src {
			src[i], dy[i] = float32(rng.NormFloat64()), float32(rng.NormFloat64())
			if i%5 == 0 {
				src[i] = special[(i/5)%len(special)]
			}
		}
		got, want := make([]float32, n+3), make([]float32, n)
		ReLU(got, src)
		reluScalar(want, src)
		for i := range want {
			if v := src[i]; (v != v) != (got[i] != got[i]) || v > 0 && got[i] != v {
				t.Fatalf("n=%d: ReLU(%v) = %v: NaN must propagate and positives pass", n, v, got[i])
			}
			if math.Float32bits(got[i]) != math.Float32bits(want[i]) && !(got[i] != got[i] && want[i] != want[i]) {
				t.Fatalf("n=%d: ReLU(%v) = %v, want %v", n, src[i], got[i], want[i])
			}
		}
		ReLUGrad(got, dy, want) // want holds the forward output
		ref := make([]float32, n)
		reluGradScalar(ref, dy, want)
		for i := range ref {
			if math.Float32bits(got[i]) != math.Float32bits(ref[i]) {
				t.Fatalf("n=%d: ReLUGrad at out %v = %v, want %v", n, want[i], got[i], ref[i])
			}
		}
	}
}
