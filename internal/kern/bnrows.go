package kern

// BNForwardRows normalises the row-major [rows, c] matrix x per channel:
// xhat = (x - mean) * invStd and out = x*scale + shift, each with the same
// float32 operations in the same order on every path (no FMA), so the SIMD
// and portable versions agree bit for bit.
func BNForwardRows(xhat, out, x []float32, c int, mean, invStd, scale, shift []float32) {
	bnForwardRows(xhat[:len(x)], out[:len(x)], x, c, mean[:c], invStd[:c], scale[:c], shift[:c])
}

// BNBackwardRows is batch norm's input gradient for the [rows, c] matrix
// dy: dx = k * (dy - mdy - xhat*mdx) per channel, in that operation order.
func BNBackwardRows(dx, dy, xhat []float32, c int, k, mdy, mdx []float32) {
	bnBackwardRows(dx[:len(dy)], dy, xhat[:len(dy)], c, k[:c], mdy[:c], mdx[:c])
}

// bnForwardScalar is the reference of BNForwardRows for columns [j0, c).
func bnForwardScalar(xhat, out, x []float32, c, j0 int, mean, invStd, scale, shift []float32) {
	for off := 0; off+c <= len(x); off += c {
		for j := j0; j < c; j++ {
			v := x[off+j]
			xhat[off+j] = (v - mean[j]) * invStd[j]
			out[off+j] = v*scale[j] + shift[j]
		}
	}
}

// bnBackwardScalar is the reference of BNBackwardRows for columns [j0, c).
func bnBackwardScalar(dx, dy, xhat []float32, c, j0 int, k, mdy, mdx []float32) {
	for off := 0; off+c <= len(dy); off += c {
		for j := j0; j < c; j++ {
			dx[off+j] = k[j] * (dy[off+j] - mdy[j] - xhat[off+j]*mdx[j])
		}
	}
}
