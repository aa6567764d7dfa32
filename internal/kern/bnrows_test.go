package kern

import (
	"math"
	"math/rand/v2"
	"testing"
)

// The batch-norm row kernels agree bit for bit with their scalar
// references for channel counts below, at and above the SIMD width.
func TestBNRowsMatchReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	vec := func(n int) []float32 {
		v := make([]float32, n)
		for i := range v {
			v[i] = float32(rng.NormFloat64())
		}
		return v
	}
	same := func(what string, got, want []float32) {
		t.Helper()
		for i := range want {
			if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
				t.Fatalf("%s[%d] = %v, want %v", what, i, got[i], want[i])
			}
		}
	}
	for _, c := range []int{1, 3, 8, 13, 16, 24, 64} {
		rows := 7
		x, p1, p2, p3, p4 := vec(rows*c), vec(c), vec(c), vec(c), vec(c)
		h, o := make([]float32, rows*c), make([]float32, rows*c)
		hr, or := make([]float32, rows*c), make([]float32, rows*c)
		BNForwardRows(h, o, x, c, p1, p2, p3, p4)
		bnForwardScalar(hr, or, x, c, 0, p1, p2, p3, p4)
		same("xhat", h, hr)
		same("out", o, or)
		dy, dx, dxr := vec(rows*c), make([]float32, rows*c), make([]float32, rows*c)
		BNBackwardRows(dx, dy, h, c, p1, p2, p3)
		bnBackwardScalar(dxr, dy, h, c, 0, p1, p2, p3)
		same("dx", dx, dxr)
	}
}
