package nn

import (
	"math"
	"math/rand/v2"
	"testing"
)

// hvpNet is conv -> BN -> ReLU -> max-pool -> pre-activation residual block
// with a projection shortcut -> GAP -> linear, with random BN statistics.
func hvpNet(t *testing.T) *Model {
	m, err := Build(Desc{Name: "hvp", Input: []int{6, 6, 2}, Classes: 3, Ops: []OpDesc{
		{Kind: OpConv, Name: "conv", Out: 3, Kernel: 3, Pad: 1, Bias: true},
		{Kind: OpBN, Name: "bn", Affine: true},
		{Kind: OpReLU, Name: "relu"},
		{Kind: OpMaxPool, Name: "pool", Kernel: 2},
		{Kind: OpResidual, Name: "blk",
			Pre:      []OpDesc{{Kind: OpBN, Name: "bn1", Affine: true}, {Kind: OpReLU}},
			Body:     []OpDesc{{Kind: OpConv, Name: "conv1", Out: 4, Kernel: 3, Pad: 1}, {Kind: OpBN, Name: "bn2"}},
			Shortcut: []OpDesc{{Kind: OpConv, Name: "sc", Out: 4, Kernel: 1}}},
		{Kind: OpAvgPool, Name: "avg", Kernel: 3},
		{Kind: OpGAP, Name: "gap"},
		{Kind: OpLinear, Name: "head", Out: 3, Bias: true}}})
	if err != nil {
		t.Fatal(err)
	}
	m.Init(3)
	rng := rand.New(rand.NewPCG(1, 2))
	for _, b := range m.BatchNorms() {
		for j := range b.C {
			b.RunMean.W[j] = float32(0.3 * rng.NormFloat64())
			b.RunVar.W[j] = float32(0.5 + rng.Float64())
		}
	}
	return m
}

// hvpAll returns H v over all parameters (flattened in Params order) for
// the batch (x, y).
func hvpAll(t *testing.T, m *Model, x *Tensor, y []int32, v []float32) []float64 {
	h, err := NewHVP(m)
	if err != nil {
		t.Fatal(err)
	}
	off := 0
	for _, p := range m.Weights() {
		h.SetDirection(p, v[off:off+p.Size()])
		off += p.Size()
	}
	m.ZeroGrad()
	h.Batch(x, y, 1)
	var out []float64
	for _, p := range m.Weights() {
		for _, g := range p.G {
			out = append(out, float64(g))
		}
	}
	return out
}

// H is symmetric: u^T H v = v^T H u for the R-operator's products.
func TestHVPSymmetric(t *testing.T) {
	m := hvpNet(t)
	rng := rand.New(rand.NewPCG(5, 6))
	x := randTensor(rng, 4, 6, 6, 2)
	y := []int32{0, 1, 2, 1}
	n := m.NumParams()
	u, v := make([]float32, n), make([]float32, n)
	for i := range u {
		u[i], v[i] = float32(rng.NormFloat64()), float32(rng.NormFloat64())
	}
	hu, hv := hvpAll(t, m, x, y, u), hvpAll(t, m, x, y, v)
	var uhv, vhu, scale float64
	for i := range u {
		uhv += float64(u[i]) * hv[i]
		vhu += float64(v[i]) * hu[i]
		scale += math.Abs(float64(u[i]) * hv[i])
	}
	if math.Abs(uhv-vhu) > 1e-5*scale || scale == 0 {
		t.Errorf("u^T H v = %.8g, v^T H u = %.8g", uhv, vhu)
	}
}

// Along a direction that only scales the head, v = W_head (and zero bias),
// the logits are linear in e, so v^T H v = z1^T (diag p - p p^T) z1 / N
// with z1 = a W_head: a closed form from the forward pass alone.
func TestHVPHeadScaling(t *testing.T) {
	m := hvpNet(t)
	rng := rand.New(rand.NewPCG(7, 8))
	x := randTensor(rng, 3, 6, 6, 2)
	y := []int32{2, 0, 1}
	head := m.Param("head.weight")
	h, err := NewHVP(m)
	if err != nil {
		t.Fatal(err)
	}
	h.SetDirection(head, head.W)
	m.ZeroGrad()
	h.Batch(x, y, 1)
	var got float64
	for i, g := range head.G {
		got += float64(g) * float64(head.W[i])
	}
	logits := m.Forward(x, Eval)
	bias := m.Param("head.bias").W
	var want float64
	for i := range 3 {
		z := logits.Data[i*3 : (i+1)*3]
		p := make([]float64, 3)
		var s, pz float64
		for j := range p {
			p[j] = math.Exp(float64(z[j]))
			s += p[j]
		}
		for j := range p {
			p[j] /= s
			pz += p[j] * float64(z[j]-bias[j]) // z1 = z - b
		}
		for j := range p {
			want += p[j] * math.Pow(float64(z[j]-bias[j]), 2) / 3
		}
		want -= pz * pz / 3
	}
	if math.Abs(got-want) > 1e-5*math.Abs(want) {
		t.Errorf("v^T H v = %.8g, closed form %.8g", got, want)
	}
}

// Models with layers that have no R-operator are refused.
func TestHVPRejectsLMLayers(t *testing.T) {
	m := &Model{Root: &Sequential{Layers: []Layer{&GELU{}}}}
	if _, err := NewHVP(m); err == nil {
		t.Error("NewHVP accepted a GELU layer")
	}
}
