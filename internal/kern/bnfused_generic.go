//go:build !(goexperiment.simd && amd64)

package kern

func bnNormalize(out, x []float32, c int, scale, shift []float32, relu bool) {
	bnNormalizeScalar(out, x, c, scale, shift, relu)
}

func bnGradSums(sum, prod []float64, dy, out, x []float32, c int, mean, invStd []float32, relu bool) {
	bnGradSumsScalar(sum, prod, dy, out, x, c, mean, invStd, relu)
}

func bnInputGrad(dx, dy, out, x []float32, c int, mean, invStd, k, mdy, mdx []float32, relu bool) {
	bnInputGradScalar(dx, dy, out, x, c, mean, invStd, k, mdy, mdx, relu)
}
