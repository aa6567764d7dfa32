//go:build goexperiment.simd && amd64

package kern

import "simd/archsimd"

// addTo adds src into dst element-wise (len(dst) >= len(src)), eight floats
// at a time with AVX when the CPU has it.
func addTo(dst, src []float32) {
	dst = dst[:len(src)]
	i := 0
	if len(src) >= 8 && archsimd.X86.AVX() {
		for ; i+8 <= len(src); i += 8 {
			d := (*vec8)(dst[i : i+8])
			archsimd.LoadFloat32x8(d).Add(archsimd.LoadFloat32x8((*vec8)(src[i : i+8]))).Store(d)
		}
		archsimd.ClearAVXUpperBits()
	}
	for ; i < len(src); i++ {
		dst[i] += src[i]
	}
}
