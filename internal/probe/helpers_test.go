package probe

import (
	"math/rand/v2"
	"testing"

	"wdlab/internal/data"
	"wdlab/internal/nn"
)

// build builds and initialises a model from ops, failing the test on error.
func build(t *testing.T, input []int, classes int, ops ...nn.OpDesc) *nn.Model {
	t.Helper()
	m, err := nn.Build(nn.Desc{Name: t.Name(), Input: input, Classes: classes, Ops: ops})
	if err != nil {
		t.Fatal(err)
	}
	m.Init(7)
	return m
}

// linearSoftmax is f(x) = x W + b with D inputs and K outputs.
func linearSoftmax(t *testing.T, d, k int) *nn.Model {
	return build(t, []int{d}, k, nn.OpDesc{Kind: nn.OpLinear, Name: "fc", Out: k, Bias: true})
}

// tinyConvNet is conv3x3 -> affine BN -> ReLU -> avgpool 2 -> flatten ->
// frozen linear head, on 4x4x2 inputs with 3 classes. Its BN running
// statistics are set to non-trivial values so eval mode is a real affine map.
func tinyConvNet(t *testing.T) *nn.Model {
	m := build(t, []int{4, 4, 2}, 3,
		nn.OpDesc{Kind: nn.OpConv, Name: "conv", Out: 3, Kernel: 3, Pad: 1, Bias: true},
		nn.OpDesc{Kind: nn.OpBN, Name: "bn", Affine: true},
		nn.OpDesc{Kind: nn.OpReLU, Name: "relu"},
		nn.OpDesc{Kind: nn.OpAvgPool, Name: "pool", Kernel: 2},
		nn.OpDesc{Kind: nn.OpFlatten, Name: "flat"},
		nn.OpDesc{Kind: nn.OpLinear, Name: "head", Out: 3, Bias: true, Frozen: true})
	rng := rand.New(rand.NewPCG(3, 4))
	bn := m.BatchNorms()[0]
	for j := range bn.C {
		bn.RunMean.W[j] = float32(0.2 * rng.NormFloat64())
		bn.RunVar.W[j] = float32(0.5 + rng.Float64())
		bn.Gamma.W[j] = float32(1 + 0.3*rng.NormFloat64())
		bn.Beta.W[j] = float32(0.1 * rng.NormFloat64())
	}
	return m
}

// vectors returns a dataset of n examples with d N(0,1) features (shape
// 1x1xd) and labels i mod k.
func vectors(n, d, k int, seed uint64) *data.Dataset {
	rng := rand.New(rand.NewPCG(seed, 1))
	ds := &data.Dataset{Name: "vectors", N: n, H: 1, W: 1, C: d, Classes: k, X: make([]float32, n*d), Y: make([]int32, n)}
	for i := range ds.X {
		ds.X[i] = float32(rng.NormFloat64())
	}
	for i := range ds.Y {
		ds.Y[i] = int32(i % k)
	}
	return ds
}

// relErr is |got - want| / |want|.
func relErr(got, want float64) float64 {
	d := got - want
	if d < 0 {
		d = -d
	}
	if want < 0 {
		want = -want
	}
	return d / want
}
