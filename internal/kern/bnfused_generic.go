//go:build !(goexperiment.simd && amd64)

package kern

func bnNormalize(out, x []float32, c int, scale, shift []float32, relu bool) {
	bnNormalizeScalar(out, x, c, scale, shift, relu)
}

func bnGradSums(sum, prod []float64, dy, x []float32, c int, nm Norm, relu bool) {
	bnGradSumsScalar(sum, prod, dy, x, c, nm, relu)
}

func bnInputGrad(dx, dy, x []float32, c int, nm Norm, k, mdy, mdx []float32, relu bool) {
	bnInputGradScalar(dx, dy, x, c, nm, k, mdy, mdx, relu)
}

func bnMoments(sum, sumSq []float64, x []float32, c int) { bnMomentsScalar(sum, sumSq, x, c) }
