package probe

import (
	"math"
	"math/rand/v2"
	"testing"

	"wdlab/internal/data"
	"wdlab/internal/nn"
)

// For f = xW + b, d f_k / d W_jk = x_j and d f_k / d b_k = 1, so
// ||J||_F^2 = K (||x||^2 + 1) whatever the weights.
func TestJacobianLinearClosedForm(t *testing.T) {
	const d, k = 7, 5
	m := linearSoftmax(t, d, k)
	ds := vectors(12, d, k, 1)
	got := JacobianNorms(m, ds)
	for i, g := range got {
		var x2 float64
		for _, v := range ds.X[i*d : (i+1)*d] {
			x2 += float64(v) * float64(v)
		}
		want := math.Sqrt(k * (x2 + 1))
		if relErr(g, want) > 1e-4 {
			t.Errorf("example %d: ||J||_F = %.6f, want %.6f", i, g, want)
		}
	}
}

// The Jacobian of a small conv net (BN in eval mode, a frozen head that
// still counts) matches central differences of its logits.
func TestJacobianMatchesFiniteDifferences(t *testing.T) {
	m := tinyConvNet(t)
	ds := data.Synthetic(3, 4, 4, 2, 3, 5)
	got := JacobianNorms(m, ds)
	for i := range ds.N {
		want := math.Sqrt(fdJacobianSq(m, ds, i, 1e-3))
		if relErr(got[i], want) > 2e-3 {
			t.Errorf("example %d: ||J||_F = %.6f, finite differences give %.6f", i, got[i], want)
		}
	}
}

// fdJacobianSq is sum_p sum_k (d f_k / d w_p)^2 for example i of ds by
// central differences over every non-buffer parameter scalar.
func fdJacobianSq(m *nn.Model, ds *data.Dataset, i int, h float32) float64 {
	x, y := nn.NewTensor(1, ds.H, ds.W, ds.C), make([]int32, 1)
	ds.Gather([]int{i}, x.Data, y)
	logits := func() []float64 {
		out := m.Forward(x, nn.Eval).Data
		f := make([]float64, len(out))
		for j, v := range out {
			f[j] = float64(v)
		}
		return f
	}
	var sq float64
	for _, p := range m.Weights() {
		for j := range p.W {
			w := p.W[j]
			p.W[j] = w + h
			fp := logits()
			p.W[j] = w - h
			fm := logits()
			p.W[j] = w
			for c := range fp {
				g := (fp[c] - fm[c]) / (2 * float64(h))
				sq += g * g
			}
		}
	}
	return sq
}

// The projected estimator is unbiased: averaged over many probes it
// reproduces the exact squared norms.
func TestJacobianProjectedIsUnbiased(t *testing.T) {
	m := tinyConvNet(t)
	ds := data.Synthetic(6, 4, 4, 2, 3, 9)
	exact := JacobianNorms(m, ds)
	est := JacobianSqNormsProjected(m, ds, 1500, rand.New(rand.NewPCG(1, 2)))
	var se, sx float64
	for i := range exact {
		se += est[i]
		sx += exact[i] * exact[i]
	}
	if relErr(se, sx) > 0.03 {
		t.Errorf("projected mean ||J||^2 = %.5f, exact %.5f", se/6, sx/6)
	}
	// A single probe is not the exact value: the estimator is random.
	one := JacobianSqNormsProjected(m, ds, 1, rand.New(rand.NewPCG(1, 2)))
	if relErr(one[0], exact[0]*exact[0]) < 1e-6 && relErr(one[1], exact[1]*exact[1]) < 1e-6 {
		t.Errorf("a single projection reproduced the exact norms; the estimator is not random")
	}
}

// MeanJacobianNorm is the mean of the per-example norms for few classes.
func TestMeanJacobianNorm(t *testing.T) {
	m := linearSoftmax(t, 3, 2)
	ds := vectors(4, 3, 2, 2)
	norms := JacobianNorms(m, ds)
	want := (norms[0] + norms[1] + norms[2] + norms[3]) / 4
	if got := MeanJacobianNorm(m, ds, nil); relErr(got, want) > 1e-12 {
		t.Errorf("MeanJacobianNorm = %v, want %v", got, want)
	}
}
