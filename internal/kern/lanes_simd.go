//go:build goexperiment.simd && amd64

package kern

import "simd/archsimd"

type vec4 = [4]float32

// lanes8 reports whether the AVX2 path takes len(acc) lanes: exactly 8,
// each widened to float64 four at a time.
func lanes8(lanes int) bool { return lanes == 8 && archsimd.X86.AVX2() }

// laneSums is LaneSums with AVX2 for 8 lanes.
func laneSums(acc []float64, x []float32, rows, stride int) {
	if !lanes8(len(acc)) {
		laneSumsScalar(acc, x, rows, stride)
		return
	}
	var lo, hi archsimd.Float64x4
	for o := 0; o < rows*stride; o += stride {
		lo = lo.Add(archsimd.LoadFloat32x4((*vec4)(x[o : o+4])).ConvertToFloat64())
		hi = hi.Add(archsimd.LoadFloat32x4((*vec4)(x[o+4 : o+8])).ConvertToFloat64())
	}
	addLanes(acc, lo, hi)
}

// laneSqDevs is LaneSqDevs with AVX2 for 8 lanes.
func laneSqDevs(acc []float64, x []float32, rows, stride int, mean []float64) {
	if !lanes8(len(acc)) {
		laneSqDevsScalar(acc, x, rows, stride, mean)
		return
	}
	mlo := archsimd.LoadFloat64x4((*[4]float64)(mean[0:4]))
	mhi := archsimd.LoadFloat64x4((*[4]float64)(mean[4:8]))
	var lo, hi archsimd.Float64x4
	for o := 0; o < rows*stride; o += stride {
		d := archsimd.LoadFloat32x4((*vec4)(x[o : o+4])).ConvertToFloat64().Sub(mlo)
		lo = lo.Add(d.Mul(d))
		e := archsimd.LoadFloat32x4((*vec4)(x[o+4 : o+8])).ConvertToFloat64().Sub(mhi)
		hi = hi.Add(e.Mul(e))
	}
	addLanes(acc, lo, hi)
}

// addLanes adds the eight float64 lanes of lo, hi to acc and leaves the
// AVX state clean.
func addLanes(acc []float64, lo, hi archsimd.Float64x4) {
	var t [8]float64
	lo.Store((*[4]float64)(t[0:4]))
	hi.Store((*[4]float64)(t[4:8]))
	archsimd.ClearAVXUpperBits()
	for j, v := range t {
		acc[j] += v
	}
}
