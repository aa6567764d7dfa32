package probe

import (
	"math"
	"math/rand/v2"
	"testing"

	"wdlab/internal/data"
	"wdlab/internal/nn"
)

// Hutchinson converges to the trace of a dense symmetric matrix.
func TestHutchinsonConvergesToTrace(t *testing.T) {
	const n = 20
	rng := rand.New(rand.NewPCG(5, 6))
	a := make([]float64, n*n)
	var trace float64
	for i := range n {
		for j := 0; j <= i; j++ {
			v := rng.NormFloat64()
			if i == j {
				v += 3
				trace += v
			}
			a[i*n+j], a[j*n+i] = v, v
		}
	}
	hv := func(v, out []float64) {
		for i := range n {
			var s float64
			for j := range n {
				s += a[i*n+j] * v[j]
			}
			out[i] = s
		}
	}
	got, probes := Hutchinson(hv, n, 4000, 0, rand.New(rand.NewPCG(1, 1)))
	if probes != 4000 {
		t.Fatalf("tol 0 stopped after %d probes", probes)
	}
	if relErr(got, trace) > 0.03 {
		t.Errorf("Hutchinson = %.4f, trace = %.4f", got, trace)
	}
}

// For H = c I every probe gives c*n exactly, so the stopping rule fires at
// the second probe (the first is compared with the initial 0).
func TestHutchinsonStoppingRule(t *testing.T) {
	const n, c = 9, 2.5
	hv := func(v, out []float64) {
		for i := range v {
			out[i] = c * v[i]
		}
	}
	got, probes := Hutchinson(hv, n, 100, HutchTol, rand.New(rand.NewPCG(1, 1)))
	if probes != 2 || got != c*n {
		t.Errorf("Hutchinson = %v after %d probes, want %v after 2", got, probes, c*n)
	}
	if _, probes := Hutchinson(hv, n, 1, HutchTol, rand.New(rand.NewPCG(1, 1))); probes != 1 {
		t.Errorf("maxProbes 1 ran %d probes", probes)
	}
}

// For the linear softmax model the Hessian of the mean CE is
// mean_i (diag(p_i) - p_i p_i^T) (x) [x_i;1][x_i;1]^T, so
// v^T H v = mean_i u_i^T (diag(p_i) - p_i p_i^T) u_i with u_i = x_i V + v_b.
func TestExactHVPLinearSoftmax(t *testing.T) {
	const d, k = 4, 3
	m := linearSoftmax(t, d, k)
	ds := vectors(10, d, k, 3)
	hv, dim, err := ExactHVP(m, ds, 4)
	if err != nil {
		t.Fatal(err)
	}
	if dim != d*k+k {
		t.Fatalf("dim = %d, want %d", dim, d*k+k)
	}
	before := append([]float32(nil), m.Param("fc.weight").W...)
	rng := rand.New(rand.NewPCG(2, 2))
	v, out := make([]float64, dim), make([]float64, dim)
	for i := range v {
		v[i] = rng.NormFloat64()
	}
	hv(v, out)
	var got float64
	for i := range v {
		got += v[i] * out[i]
	}
	want, trace := linearSoftmaxVHV(m, ds.X, v, d, k)
	if relErr(got, want) > 1e-5 {
		t.Errorf("v^T H v = %.8f, closed form %.8f", got, want)
	}
	for i, w := range m.Param("fc.weight").W {
		if w != before[i] {
			t.Fatalf("weights changed at %d", i)
		}
	}
	est, _, err := HessianTrace(m, ds, 4, 300, rand.New(rand.NewPCG(9, 9)))
	if err != nil || relErr(est, trace) > 0.08 {
		t.Errorf("Hessian trace = %.5f (%v), closed form %.5f", est, err, trace)
	}
}

// linearSoftmaxVHV returns v^T H v and tr H for the linear softmax model
// (W [d,k] then b [k] in v, the model's parameter order).
func linearSoftmaxVHV(m *nn.Model, xs []float32, v []float64, d, k int) (vhv, trace float64) {
	w, b := m.Param("fc.weight").W, m.Param("fc.bias").W
	n := len(xs) / d
	for i := range n {
		x := xs[i*d : (i+1)*d]
		f := make([]float32, k)
		u := make([]float64, k)
		var x2 float64
		for c := range k {
			f[c] = b[c]
			u[c] = v[d*k+c]
			for j := range d {
				f[c] += x[j] * w[j*k+c]
				u[c] += float64(x[j]) * v[j*k+c]
			}
		}
		for _, xv := range x {
			x2 += float64(xv) * float64(xv)
		}
		p := make([]float64, k)
		softmaxRow(f, p)
		var pu float64
		for c := range k {
			vhv += p[c] * u[c] * u[c] / float64(n)
			pu += p[c] * u[c]
			trace += p[c] * (1 - p[c]) * (x2 + 1) / float64(n)
		}
		vhv -= pu * pu / float64(n)
	}
	return vhv, trace
}

// The estimate is reproducible from the seed.
func TestHessianTraceDeterministic(t *testing.T) {
	m := tinyConvNet(t)
	sd := data.Synthetic(8, 4, 4, 2, 3, 11)
	a, pa, _ := HessianTrace(m, sd, 3, 5, rand.New(rand.NewPCG(4, 4)))
	b, pb, err := HessianTrace(m, sd, 3, 5, rand.New(rand.NewPCG(4, 4)))
	if err != nil || a != b || pa != pb || math.IsNaN(a) {
		t.Errorf("two runs gave %v (%d probes) and %v (%d probes)", a, pa, b, pb)
	}
}
