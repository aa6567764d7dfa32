package kern

// ReLU sets dst[i] = max(src[i], 0) for every i < len(src) (len(dst) >=
// len(src)). NaN propagates (as in PyTorch), so a diverging run's loss
// still becomes NaN; -0 gives +0.
func ReLU(dst, src []float32) { reluTo(dst[:len(src)], src) }

// ReLUGrad sets dx[i] = dy[i] where out[i] > 0 and 0 elsewhere (the ReLU
// backward pass from the forward output out), for i < len(dy).
func ReLUGrad(dx, dy, out []float32) { reluGradTo(dx[:len(dy)], dy, out[:len(dy)]) }

// reluScalar is the reference loop of ReLU (and the tail of the SIMD one).
func reluScalar(dst, src []float32) {
	for i, v := range src {
		if v > 0 || v != v {
			dst[i] = v
		} else {
			dst[i] = 0
		}
	}
}

// reluGradScalar is the reference loop of ReLUGrad.
func reluGradScalar(dx, dy, out []float32) {
	for i, g := range dy {
		if out[i] > 0 {
			dx[i] = g
		} else {
			dx[i] = 0
		}
	}
}
