//go:build !(goexperiment.simd && amd64)

package kern

// addTo adds src into dst element-wise (len(dst) >= len(src)).
func addTo(dst, src []float32) {
	dst = dst[:len(src)]
	for i, v := range src {
		dst[i] += v
	}
}
