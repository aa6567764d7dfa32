package probe

import "wdlab/internal/nn"

// flattenGrad copies the gradients of params, in order, into dst as float64.
func flattenGrad(params []*nn.Param, dst []float64) {
	off := 0
	for _, p := range params {
		for _, g := range p.G {
			dst[off] = float64(g)
			off++
		}
	}
}
