package kern

import (
	"math"
	"testing"
)

// ExpShift gives exp(v - m) within 2e-7 relative of float64 math on every
// path and sums them to float32 round-off of the float64 sum.
func TestExpShift(t *testing.T) {
	for _, n := range []int{1, 7, 8, 29, 128} {
		v := make([]float32, n)
		for i := range v {
			v[i] = float32(i%13)*0.77 - 9
		}
		m := float32(0.5)
		want := 0.0
		for _, x := range v {
			want += math.Exp(float64(x) - float64(m))
		}
		orig := append([]float32(nil), v...)
		z := ExpShift(v, m)
		for i, x := range orig {
			e := math.Exp(float64(x) - float64(m))
			if math.Abs(float64(v[i])-e) > 2e-7*e {
				t.Fatalf("n %d: exp(%v - %v) = %v, want %v", n, x, m, v[i], e)
			}
		}
		if math.Abs(float64(z)-want) > 1e-6*want {
			t.Errorf("n %d: sum %v, want %v", n, z, want)
		}
	}
}
