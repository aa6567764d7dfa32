package nn

import (
	"math"
	"math/rand/v2"
	"testing"
)

// lmRand returns a tensor of N(0, std^2) values.
func lmRand(rng *rand.Rand, std float64, shape ...int) *Tensor {
	t := NewTensor(shape...)
	lmFill(rng, t.Data, std)
	return t
}

func lmFill(rng *rand.Rand, w []float32, std float64) {
	for i := range w {
		w[i] = float32(rng.NormFloat64() * std)
	}
}

// lmProbe is L = sum_i r_i y_i in float64.
func lmProbe(y, r *Tensor) float64 {
	var s float64
	for i, v := range y.Data {
		s += float64(v) * float64(r.Data[i])
	}
	return s
}

// lmCheck compares analytic[i] with the central difference of f in w[i]
// (step 1e-2) for each i in idx: |a - n| <= 2e-2 max(|a|, |n|) + atol,
// atol = 1e-3 max_i |analytic[i]| + 1e-4.
func lmCheck(t *testing.T, name string, w, analytic []float32, idx []int, f func() float64) {
	t.Helper()
	const eps = 1e-2
	var amax float64
	for _, v := range analytic {
		amax = math.Max(amax, math.Abs(float64(v)))
	}
	if amax == 0 {
		t.Fatalf("%s: analytic gradient is identically zero", name)
	}
	atol := 1e-3*amax + 1e-4
	for _, i := range idx {
		old := w[i]
		w[i] = old + eps
		fp := f()
		w[i] = old - eps
		fm := f()
		w[i] = old
		num := (fp - fm) / (2 * eps)
		a := float64(analytic[i])
		if math.Abs(a-num) > 2e-2*math.Max(math.Abs(a), math.Abs(num))+atol {
			t.Errorf("%s[%d]: analytic %.6g, numeric %.6g", name, i, a, num)
		}
	}
}

// lmAll returns 0..n-1.
func lmAll(n int) []int {
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	return idx
}

// lmSome returns k distinct indices of [0, n) (all when k >= n).
func lmSome(rng *rand.Rand, n, k int) []int {
	if k >= n {
		return lmAll(n)
	}
	return rng.Perm(n)[:k]
}

// lmCheckLayer checks a layer's input and parameter gradients for
// L = <l(x), r> by central differences.
func lmCheckLayer(t *testing.T, name string, l Layer, x *Tensor) {
	t.Helper()
	rng := rand.New(rand.NewPCG(5, 6))
	y := l.Forward(x, Train)
	r := lmRand(rng, 1, y.Shape...)
	for _, p := range l.Params() {
		clear(p.G)
	}
	dx := append([]float32(nil), l.Backward(r).Data...)
	f := func() float64 { return lmProbe(l.Forward(x, Train), r) }
	lmCheck(t, name+" dx", x.Data, dx, lmAll(len(x.Data)), f)
	for _, p := range l.Params() {
		g := append([]float32(nil), p.G...)
		lmCheck(t, name+" "+p.Name, p.W, g, lmSome(rng, len(p.W), 40), f)
	}
}
