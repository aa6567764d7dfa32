//go:build goexperiment.simd && amd64

package kern

import (
	"simd/archsimd"
	"unsafe"
)

// Helpers of the SIMD microkernels: the C update and the packing.

type vec8 = [8]float32

// update8 writes acc to the 8 floats at c according to flags (see updAlpha).
func update8(acc archsimd.Float32x8, c unsafe.Pointer, va, vb archsimd.Float32x8, flags uint) {
	if flags&updAlpha != 0 {
		acc = acc.Mul(va)
	}
	if flags&updLoad != 0 {
		old := archsimd.LoadFloat32x8((*vec8)(c))
		if flags&updBeta != 0 {
			old = old.Mul(vb)
		}
		acc = old.Add(acc)
	}
	acc.Store((*vec8)(c))
}

// packBVec is gemmKernel.packB for nr a multiple of 8, copying whole rows
// with vector moves when B's rows are contiguous.
func packBVec(dst []float32, b mat, nr, p0, kc, j0, cols int) {
	if b.cs != 1 || cols != nr {
		packBGeneric(dst, b, nr, p0, kc, j0, cols)
		return
	}
	dst = dst[:kc*nr]
	src, rs, idx := b.s, b.rs, b.at(p0, j0)
	for p := 0; p < kc; p++ {
		s := src[idx : idx+nr]
		d := dst[p*nr : p*nr+nr]
		for j := 0; j < nr; j += 8 {
			archsimd.LoadFloat32x8((*vec8)(s[j : j+8])).Store((*vec8)(d[j : j+8]))
		}
		idx += rs
	}
	archsimd.ClearAVXUpperBits()
}

// packAPlain is gemmKernel.packA for mr <= 8. When A's rows are adjacent
// in memory (a transposed operand) each step is one 8-float vector copy,
// whose spill past mr floats the next step overwrites; otherwise, and for
// edge micro-panels, packAGeneric.
func packAPlain(dst []float32, a mat, mr, i0, rows, p0, kc int) {
	if a.rs != 1 || rows != mr {
		packAGeneric(dst, a, mr, i0, rows, p0, kc)
		return
	}
	dst = dst[:mr*kc]
	src, cs, idx := a.s, a.cs, a.at(i0, p0)
	p := 0
	for ; p < kc && idx+8 <= len(src) && p*mr+8 <= len(dst); p++ {
		archsimd.LoadFloat32x8((*vec8)(src[idx : idx+8])).Store((*vec8)(dst[p*mr : p*mr+8]))
		idx += cs
	}
	archsimd.ClearAVXUpperBits()
	for ; p < kc; p++ {
		copy(dst[p*mr:(p+1)*mr], src[idx:idx+mr])
		idx += cs
	}
}
