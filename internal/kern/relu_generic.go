//go:build !(goexperiment.simd && amd64)

package kern

func reluTo(dst, src []float32)        { reluScalar(dst, src) }
func reluGradTo(dx, dy, out []float32) { reluGradScalar(dx, dy, out) }
