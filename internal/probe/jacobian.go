package probe

import (
	"math"
	"math/rand/v2"

	"wdlab/internal/data"
	"wdlab/internal/nn"
)

// JacobianNorms returns, for every example x_i of d, the Frobenius norm
// ||J_i||_F of the Jacobian J_i = d f(w, x_i) / d w of the logits with
// respect to all non-buffer parameters (trainable and frozen), with the
// model in eval mode (paper, Section 2, Figs. 3-4). Each example is run alone (batch 1; in eval
// mode BN is a fixed affine map, so this is the per-example function) and
// back-propagated once per class with the unit cotangent e_k: K backward
// passes per example. The model's gradients are overwritten.
func JacobianNorms(m *nn.Model, d *data.Dataset) []float64 {
	return perExampleVJP(m, d, func(k int) int { return k }, func(j int, dy []float32) float64 {
		clear(dy)
		dy[j] = 1
		return 1
	}, math.Sqrt)
}

// perExampleVJP runs each example of d alone through m in eval mode and,
// for cotangents j = 0..count(K)-1 written by fill into dy (which returns
// the cotangent's weight), sums weight * ||J_i^T dy||^2 over all non-buffer
// parameters; finish maps each example's sum to its result. The model's
// gradients are overwritten.
func perExampleVJP(m *nn.Model, d *data.Dataset, count func(k int) int, fill func(j int, dy []float32) float64, finish func(float64) float64) []float64 {
	weights := m.Weights()
	out := make([]float64, d.N)
	x, y := nn.NewTensor(1, d.H, d.W, d.C), make([]int32, 1)
	var dy *nn.Tensor
	for i := range d.N {
		d.Gather([]int{i}, x.Data, y)
		k := len(m.Forward(x, nn.Eval).Data)
		if dy == nil || len(dy.Data) != k {
			dy = nn.NewTensor(1, k)
		}
		var sq float64
		for j := range count(k) {
			w := fill(j, dy.Data)
			m.ZeroGrad()
			m.Backward(dy)
			sq += w * gradSquares(weights)
		}
		out[i] = finish(sq)
	}
	return out
}

// gradSquares returns the sum of squared gradients of params, in float64.
func gradSquares(params []*nn.Param) float64 {
	var s float64
	for _, p := range params {
		for _, g := range p.G {
			s += float64(g) * float64(g)
		}
	}
	return s
}

// mean returns the arithmetic mean of v (NaN for an empty slice).
func mean(v []float64) float64 {
	if len(v) == 0 {
		return math.NaN()
	}
	var s float64
	for _, x := range v {
		s += x
	}
	return s / float64(len(v))
}

// ExactJacMaxClasses is the largest number of classes for which
// MeanJacobianNorm runs the exact K-pass Jacobian; above it, it uses
// JacProjProbes random projections per example.
const ExactJacMaxClasses = 32

// JacProjProbes is the number of random projections per example that
// MeanJacobianNorm uses for models with more than ExactJacMaxClasses classes.
const JacProjProbes = 16

// MeanJacobianNorm is the paper's J_norm: the mean over the examples of d of
// ||J_i||_F (paper, Figs. 3-4). It is exact up to ExactJacMaxClasses classes; above,
// each ||J_i||_F is the square root of a JacProjProbes-probe projected
// estimate of ||J_i||_F^2 drawn from rng (unbiased before the square root,
// slightly low after it).
func MeanJacobianNorm(m *nn.Model, d *data.Dataset, rng *rand.Rand) float64 {
	if m.Desc.Classes <= ExactJacMaxClasses {
		return mean(JacobianNorms(m, d))
	}
	sq := JacobianSqNormsProjected(m, d, JacProjProbes, rng)
	for i, v := range sq {
		sq[i] = math.Sqrt(v)
	}
	return mean(sq)
}
