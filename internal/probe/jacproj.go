package probe

import (
	"math/rand/v2"

	"wdlab/internal/data"
	"wdlab/internal/nn"
)

// JacobianSqNormsProjected returns, for every example of d, an unbiased
// estimate of ||J_i||_F^2 (see JacobianNorms) from probes random
// projections: for a Rademacher vector v over the K logits,
// E ||J_i^T v||^2 = sum_k ||J_i^T e_k||^2 = ||J_i||_F^2, and J_i^T v is one
// backward pass with cotangent v. It costs probes backward passes per
// example instead of K, which pays off for many classes. The vectors come
// from rng, in example order. The model's gradients are overwritten.
func JacobianSqNormsProjected(m *nn.Model, d *data.Dataset, probes int, rng *rand.Rand) []float64 {
	weights := m.Weights()
	out := make([]float64, d.N)
	x, y := nn.NewTensor(1, d.H, d.W, d.C), make([]int32, 1)
	var dy *nn.Tensor
	for i := range d.N {
		d.Gather([]int{i}, x.Data, y)
		logits := m.Forward(x, nn.Eval)
		k := len(logits.Data)
		if dy == nil || len(dy.Data) != k {
			dy = nn.NewTensor(1, k)
		}
		var sq float64
		for range probes {
			for c := range dy.Data {
				dy.Data[c] = float32(rademacher(rng))
			}
			m.ZeroGrad()
			m.Backward(dy)
			sq += gradSquares(weights)
		}
		out[i] = sq / float64(probes)
	}
	return out
}

// rademacher returns +1 or -1 with equal probability.
func rademacher(rng *rand.Rand) float64 {
	if rng.Uint64()&1 == 0 {
		return -1
	}
	return 1
}
