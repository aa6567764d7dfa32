//go:build goexperiment.simd && amd64

package kern

import "simd/archsimd"

// geluForward is GELUForward eight lanes at a time with AVX2.
func geluForward(y, cdf, x []float32) {
	i := 0
	if archsimd.X86.AVX2() {
		for ; i+8 <= len(x); i += 8 {
			v := archsimd.LoadFloat32x8((*vec8)(x[i : i+8]))
			c := b8(0.5).Mul(b8(1).Add(erf8(v.Mul(b8(geluInvSqrt2)))))
			c.Store((*vec8)(cdf[i : i+8]))
			v.Mul(c).Store((*vec8)(y[i : i+8]))
		}
		archsimd.ClearAVXUpperBits()
	}
	geluForwardScalar(y[i:], cdf[i:], x[i:])
}

// geluBackward is GELUBackward eight lanes at a time with AVX2.
func geluBackward(dx, dy, x, cdf []float32) {
	i := 0
	if archsimd.X86.AVX2() {
		for ; i+8 <= len(x); i += 8 {
			v := archsimd.LoadFloat32x8((*vec8)(x[i : i+8]))
			pdf := b8(geluInvSqrt2Pi).Mul(exp8(b8(-0.5).Mul(v.Mul(v))))
			c := archsimd.LoadFloat32x8((*vec8)(cdf[i : i+8]))
			g := archsimd.LoadFloat32x8((*vec8)(dy[i : i+8]))
			g.Mul(c.Add(v.Mul(pdf))).Store((*vec8)(dx[i : i+8]))
		}
		archsimd.ClearAVXUpperBits()
	}
	geluBackwardScalar(dx[i:], dy[i:], x[i:], cdf[i:])
}
