//go:build !(goexperiment.simd && amd64)

package kern

func expShift(v []float32, m float32) float32 { return expShiftScalar(v, m) }
