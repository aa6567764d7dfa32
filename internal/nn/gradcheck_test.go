package nn

import (
	"math"
	"math/rand/v2"
	"testing"
)

// randTensor fills a tensor with N(0,1) values.
func randTensor(rng *rand.Rand, shape ...int) *Tensor {
	t := NewTensor(shape...)
	for i := range t.Data {
		t.Data[i] = float32(rng.NormFloat64())
	}
	return t
}

// probeLoss is L = sum_i r_i * y_i in float64.
func probeLoss(y, r *Tensor) float64 {
	var s float64
	for i, v := range y.Data {
		s += float64(v) * float64(r.Data[i])
	}
	return s
}

// checkGrad compares a layer's analytic input and parameter gradients with
// central differences of L = <f(x), r>.
func checkGrad(t *testing.T, name string, l Layer, x *Tensor, mode Mode, tol float64) {
	t.Helper()
	rng := rand.New(rand.NewPCG(7, 8))
	y := l.Forward(x, mode)
	r := randTensor(rng, y.Shape...)
	for _, p := range l.Params() {
		clear(p.G)
	}
	dx := l.Backward(r)
	dxCopy := append([]float32(nil), dx.Data...)
	f := func() float64 { return probeLoss(l.Forward(x, mode), r) }
	const eps = 2e-3
	compare := func(what string, vals []float32, grad []float32) {
		t.Helper()
		idx := rng.Perm(len(vals))
		if len(idx) > 40 {
			idx = idx[:40]
		}
		var worst float64
		for _, i := range idx {
			old := vals[i]
			vals[i] = old + eps
			lp := f()
			vals[i] = old - eps
			lm := f()
			vals[i] = old
			num := (lp - lm) / (2 * eps)
			an := float64(grad[i])
			e := math.Abs(num-an) / math.Max(1, math.Max(math.Abs(num), math.Abs(an)))
			worst = math.Max(worst, e)
		}
		if worst > tol || math.IsNaN(worst) {
			t.Errorf("%s: %s gradient mismatch, worst relative error %.3g > %.3g", name, what, worst, tol)
		}
	}
	compare("input", x.Data, dxCopy)
	for _, p := range l.Params() {
		if p.Buffer {
			continue
		}
		compare(p.Name, p.W, append([]float32(nil), p.G...))
	}
}

func initLayer(rng *rand.Rand, l Layer) {
	for _, p := range l.Params() {
		if p.Buffer {
			continue
		}
		for i := range p.W {
			p.W[i] = float32(rng.NormFloat64() * 0.5)
		}
	}
}

func TestGradConv(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	cases := []struct {
		cin, cout, k, s, p, h, w int
		bias                     bool
	}{
		{3, 4, 3, 1, 1, 5, 6, true},
		{2, 5, 3, 2, 1, 7, 7, false},
		{4, 3, 1, 1, 0, 4, 3, true},
		{3, 2, 1, 2, 0, 5, 5, false},
		{2, 3, 5, 1, 2, 6, 5, true},
	}
	for _, c := range cases {
		l := NewConv2D("c", c.cin, c.cout, c.k, c.s, c.p, c.bias)
		initLayer(rng, l)
		checkGrad(t, "conv", l, randTensor(rng, 2, c.h, c.w, c.cin), Train, 2e-2)
	}
}

func TestGradBatchNorm(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, affine := range []bool{true, false} {
		for _, mode := range []Mode{Train, Eval} {
			l := NewBatchNorm("bn", 3, affine)
			initLayer(rng, l)
			l.Forward(randTensor(rng, 4, 3, 2, 3), Train) // non-trivial running stats
			checkGrad(t, "bn", l, randTensor(rng, 4, 3, 2, 3), mode, 2e-2)
		}
	}
	l := NewBatchNorm("bn1d", 5, true)
	initLayer(rng, l)
	checkGrad(t, "bn1d", l, randTensor(rng, 6, 5), Train, 2e-2)
}

func TestGradLinearReluPool(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	lin := NewLinear("fc", 12, 5, true)
	initLayer(rng, lin)
	checkGrad(t, "linear", lin, randTensor(rng, 3, 2, 2, 3), Train, 2e-2)
	checkGrad(t, "relu", &ReLU{}, randTensor(rng, 3, 7), Train, 2e-2)
	checkGrad(t, "gap", &GlobalAvgPool{}, randTensor(rng, 2, 3, 3, 4), Train, 2e-2)
	checkGrad(t, "avgpool", &Pool2D{K: 2}, randTensor(rng, 2, 5, 4, 3), Train, 2e-2)
	checkGrad(t, "maxpool", &Pool2D{K: 2, Max: true}, randTensor(rng, 2, 4, 4, 3), Train, 2e-2)
	checkGrad(t, "normalize", &Normalize{Mean: []float32{0.5, -1, 2}, Std: []float32{0.25, 2, 0.5}}, randTensor(rng, 2, 3, 2, 3), Train, 2e-2)
}

func TestGradResidual(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	for _, proj := range []bool{false, true} {
		r := &Residual{
			Pre:  &Sequential{Layers: []Layer{NewBatchNorm("bn1", 3, true), &ReLU{}}},
			Body: &Sequential{Layers: []Layer{NewConv2D("c1", 3, 3, 3, 1, 1, false)}},
		}
		if proj {
			r.Body.Layers[0] = NewConv2D("c1", 3, 4, 3, 2, 1, false)
			r.Shortcut = &Sequential{Layers: []Layer{NewConv2D("sc", 3, 4, 1, 2, 0, false)}}
		}
		initLayer(rng, r)
		checkGrad(t, "residual", r, randTensor(rng, 3, 4, 4, 3), Train, 3e-2)
	}
}

func TestSoftmaxCEGrad(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	logits := randTensor(rng, 4, 5)
	labels := []int32{0, 3, 4, 1}
	_, _, g := SoftmaxCE(logits, labels, nil)
	ga := append([]float32(nil), g.Data...)
	for i := range logits.Data {
		old := logits.Data[i]
		logits.Data[i] = old + 1e-2
		lp, _, _ := SoftmaxCE(logits, labels, nil)
		logits.Data[i] = old - 1e-2
		lm, _, _ := SoftmaxCE(logits, labels, nil)
		logits.Data[i] = old
		if num := (lp - lm) / 2e-2; math.Abs(num-float64(ga[i])) > 1e-3 {
			t.Fatalf("CE grad %d: numeric %.5f analytic %.5f", i, num, ga[i])
		}
	}
	// Known answer: uniform logits over K classes give log K.
	l, _, _ := SoftmaxCE(NewTensor(2, 4), []int32{1, 2}, nil)
	if math.Abs(l-math.Log(4)) > 1e-9 {
		t.Fatalf("CE of zeros = %v, want log 4", l)
	}
}
