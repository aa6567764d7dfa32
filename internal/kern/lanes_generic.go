//go:build !(goexperiment.simd && amd64)

package kern

func laneSums(acc []float64, x []float32, rows, stride int) { laneSumsScalar(acc, x, rows, stride) }

func laneSqDevs(acc []float64, x []float32, rows, stride int, mean []float64) {
	laneSqDevsScalar(acc, x, rows, stride, mean)
}
