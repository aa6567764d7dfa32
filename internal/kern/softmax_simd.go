//go:build goexperiment.simd && amd64

package kern

import "simd/archsimd"

// expShift is ExpShift eight lanes at a time with AVX2: the lanes' sums
// are added in order, then the scalar tail.
func expShift(v []float32, m float32) float32 {
	i := 0
	var z float32
	if len(v) >= 8 && archsimd.X86.AVX2() {
		mv := b8(m)
		var acc f8
		for ; i+8 <= len(v); i += 8 {
			e := exp8(archsimd.LoadFloat32x8((*vec8)(v[i : i+8])).Sub(mv))
			e.Store((*vec8)(v[i : i+8]))
			acc = acc.Add(e)
		}
		var lanes [8]float32
		acc.Store(&lanes)
		archsimd.ClearAVXUpperBits()
		for _, s := range lanes {
			z += s
		}
	}
	return z + expShiftScalar(v[i:], m)
}
