package kern

import (
	"math"
	"math/rand/v2"
	"testing"
)

// The lane reductions give, bit for bit, a plain float64 loop over each
// lane's rows (summed from zero, then added to the accumulator), on the
// SIMD path (8 lanes) and the scalar one, for strides wider than the
// lanes (one half of an nChw16c block) and equal to them.
func TestLaneReductionsMatchPlainLoops(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for _, c := range []struct{ lanes, stride, off int }{{8, 8, 0}, {8, 16, 8}, {8, 16, 0}, {1, 1, 0}, {3, 3, 0}, {16, 16, 0}, {5, 9, 2}} {
		rows := 37
		n := rows * c.stride
		x, h := make([]float32, n), make([]float32, n)
		for i := range x {
			x[i] = float32(rng.NormFloat64() * 3)
			h[i] = float32(rng.NormFloat64())
		}
		mean := make([]float64, c.lanes)
		start := make([]float64, c.lanes)
		for j := range mean {
			mean[j] = rng.NormFloat64()
			start[j] = rng.NormFloat64()
		}
		want := func(f func(r, j int) float64) []float64 {
			w := make([]float64, c.lanes)
			for j := range w {
				s := 0.0
				for r := 0; r < rows; r++ {
					s += f(r, j)
				}
				w[j] = start[j] + s
			}
			return w
		}
		at := func(v []float32, r, j int) float64 { return float64(v[c.off+r*c.stride+j]) }
		got := func(run func(acc []float64)) []float64 {
			acc := append([]float64(nil), start...)
			run(acc)
			return acc
		}
		same := func(what string, got, want []float64) {
			t.Helper()
			for j := range want {
				if math.Float64bits(got[j]) != math.Float64bits(want[j]) {
					t.Fatalf("%+v %s lane %d: %v, want %v", c, what, j, got[j], want[j])
				}
			}
		}
		same("sums", got(func(acc []float64) { LaneSums(acc, x[c.off:], rows, c.stride) }),
			want(func(r, j int) float64 { return at(x, r, j) }))
		same("sqdevs", got(func(acc []float64) { LaneSqDevs(acc, x[c.off:], rows, c.stride, mean) }),
			want(func(r, j int) float64 { d := at(x, r, j) - mean[j]; return d * d }))
	}
}
