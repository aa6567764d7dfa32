//go:build !(goexperiment.simd && amd64)

package kern

func bnForwardRows(xhat, out, x []float32, c int, mean, invStd, scale, shift []float32) {
	bnForwardScalar(xhat, out, x, c, 0, mean, invStd, scale, shift)
}

func bnBackwardRows(dx, dy, xhat []float32, c int, k, mdy, mdx []float32) {
	bnBackwardScalar(dx, dy, xhat, c, 0, k, mdy, mdx)
}
