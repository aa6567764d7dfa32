//go:build goexperiment.simd && amd64

package kern

import "simd/archsimd"

// reluTo is ReLU eight floats at a time with AVX2: x where x > 0 or x is
// NaN, else +0, as in the scalar loop.
func reluTo(dst, src []float32) {
	i := 0
	if len(src) >= 8 && archsimd.X86.AVX2() {
		var zero archsimd.Float32x8
		for ; i+8 <= len(src); i += 8 {
			x := archsimd.LoadFloat32x8((*vec8)(src[i : i+8]))
			x.Masked(x.Greater(zero).Or(x.NotEqual(x))).Store((*vec8)(dst[i : i+8]))
		}
		archsimd.ClearAVXUpperBits()
	}
	reluScalar(dst[i:], src[i:])
}

// reluGradTo is ReLUGrad eight floats at a time with AVX2.
func reluGradTo(dx, dy, out []float32) {
	i := 0
	if len(dy) >= 8 && archsimd.X86.AVX2() {
		var zero archsimd.Float32x8
		for ; i+8 <= len(dy); i += 8 {
			o := archsimd.LoadFloat32x8((*vec8)(out[i : i+8]))
			g := archsimd.LoadFloat32x8((*vec8)(dy[i : i+8]))
			g.Masked(o.Greater(zero)).Store((*vec8)(dx[i : i+8]))
		}
		archsimd.ClearAVXUpperBits()
	}
	reluGradScalar(dx[i:], dy[i:], out[i:])
}
