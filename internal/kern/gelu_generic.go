//go:build !(goexperiment.simd && amd64)

package kern

func geluForward(y, cdf, x []float32) { geluForwardScalar(y, cdf, x) }

func geluBackward(dx, dy, x, cdf []float32) { geluBackwardScalar(dx, dy, x, cdf) }
