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
	return perExampleVJP(m, d, func(int) int { return probes }, func(_ int, dy []float32) float64 {
		for c := range dy {
			dy[c] = float32(rademacher(rng))
		}
		return 1 / float64(probes)
	}, func(sq float64) float64 { return sq })
}

// rademacher returns +1 or -1 with equal probability.
func rademacher(rng *rand.Rand) float64 {
	if rng.Uint64()&1 == 0 {
		return -1
	}
	return 1
}
