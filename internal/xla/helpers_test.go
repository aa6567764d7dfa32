package xla

import (
	"math"
	"testing"

	"wdlab/internal/models"
	"wdlab/internal/nn"
)

// tinyResNet is a PreAct-ResNet of width 4, one block per stage (three
// stages, so two projection shortcuts), on 8x8x3 inputs with 4 classes.
func tinyResNet(t *testing.T) nn.Desc {
	t.Helper()
	d, err := models.PreActResNet(models.ResNetSpec{Blocks: []int{1, 1, 1}, Width: 4}, []int{8, 8, 3}, 4)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// tinyMLP is a BN-MLP 36-16-12-5 on 6x6x1 inputs.
func tinyMLP(t *testing.T) nn.Desc {
	t.Helper()
	d, err := models.BNMLP([]int{16, 12}, []int{6, 6, 1}, 5)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// relErr is ||a-b|| / max(||b||, floor).
func relErr(a, b []float32, floor float64) float64 {
	return l2diff(a, b) / math.Max(l2(b), floor)
}

// newExec builds an executor on the Go backend, failing the test on error.
func newExec(t *testing.T, d nn.Desc, params []*nn.Param, cfg Config) *Executor {
	t.Helper()
	if cfg.Backend == "" {
		cfg.Backend = "go"
	}
	e, err := NewWithConfig(d, params, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(e.Close)
	return e
}

// compareParams checks every parameter and buffer of got against want.
func compareParams(t *testing.T, what string, got, want []*nn.Param, tol float64) {
	t.Helper()
	for i, p := range want {
		if r := relErr(got[i].W, p.W, 1e-3); r > tol || math.IsNaN(r) {
			t.Errorf("%s: %s differs: rel err %.2e > %.0e", what, p.Name, r, tol)
		}
	}
}

// poolNet exercises the ops the presets above do not: convolutions with
// bias and without padding, max and average pooling (both dropping an
// odd row), flatten, a frozen head and an input normalisation, on 9x9x2
// inputs.
func poolNet() nn.Desc {
	return nn.Desc{Name: "poolnet", Input: []int{9, 9, 2}, Classes: 3, Ops: []nn.OpDesc{
		{Kind: nn.OpNormalize, Name: "norm", Mean: []float32{0.3, -0.2}, Std: []float32{0.5, 2}},
		{Kind: nn.OpConv, Name: "c1", Out: 4, Kernel: 3, Stride: 1, Pad: 1, Bias: true},
		{Kind: nn.OpBN, Name: "bn", Affine: true},
		{Kind: nn.OpReLU},
		{Kind: nn.OpMaxPool, Kernel: 2},
		{Kind: nn.OpConv, Name: "c2", Out: 6, Kernel: 2, Stride: 1},
		{Kind: nn.OpBN, Name: "bn2"},
		{Kind: nn.OpAvgPool, Kernel: 2},
		{Kind: nn.OpFlatten},
		{Kind: nn.OpLinear, Name: "head", Out: 3, Bias: true, Frozen: true},
	}}
}

// tinyResNetSI is the scale-invariant PreAct-ResNet variant (non-affine
// BN, conv biases, BN before the shortcut convs, frozen head).
func tinyResNetSI(t *testing.T) nn.Desc {
	t.Helper()
	d, err := models.PreActResNet(models.ResNetSpec{Blocks: []int{1, 1}, Width: 4, ScaleInv: true}, []int{8, 8, 3}, 4)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// isScaleInv selects the scale-invariant group (train.IsScaleInv).
func isScaleInv(p *nn.Param) bool { return p.ScaleInv && !p.Buffer }
