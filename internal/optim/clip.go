package optim

import (
	"math"

	"wdlab/internal/nn"
)

// ClipGradNorm computes the global L2 norm of the gradients of the
// trainable params (float64 accumulation) and, when it exceeds maxNorm,
// scales every such gradient by float32(maxNorm/(norm+1e-6)), as
// torch.nn.utils.clip_grad_norm_ does. It returns the norm before clipping
// and whether it clipped. maxNorm <= 0 disables clipping; a non-finite norm
// leaves the gradients untouched so the caller can detect the divergence.
func ClipGradNorm(params []*nn.Param, maxNorm float64) (norm float64, clipped bool) {
	sum := 0.0
	for _, p := range params {
		if !p.Trainable() {
			continue
		}
		for _, g := range p.G {
			sum += float64(g) * float64(g)
		}
	}
	norm = math.Sqrt(sum)
	if maxNorm <= 0 || !(norm > maxNorm) || math.IsInf(norm, 0) {
		return norm, false
	}
	scale := float32(maxNorm / (norm + 1e-6))
	for _, p := range params {
		if !p.Trainable() {
			continue
		}
		for i := range p.G {
			p.G[i] *= scale
		}
	}
	return norm, true
}
