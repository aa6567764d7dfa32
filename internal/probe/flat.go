package probe

import "wdlab/internal/nn"

// flatten copies the values of params, in order, into dst.
func flatten(params []*nn.Param, dst []float32) {
	off := 0
	for _, p := range params {
		off += copy(dst[off:], p.W)
	}
}

// unflatten copies src back into the values of params, in order.
func unflatten(params []*nn.Param, src []float32) {
	off := 0
	for _, p := range params {
		off += copy(p.W, src[off:off+len(p.W)])
	}
}

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

// setShifted sets the values of params to w0 + s*v (flattened, in order).
func setShifted(params []*nn.Param, w0 []float32, v []float64, s float64) {
	off := 0
	for _, p := range params {
		for j := range p.W {
			p.W[j] = float32(float64(w0[off]) + s*v[off])
			off++
		}
	}
}
