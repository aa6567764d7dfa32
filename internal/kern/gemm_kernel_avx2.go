//go:build goexperiment.simd && amd64

package kern

import (
	"simd/archsimd"
	"unsafe"
)

// kernelAVX2 is the AVX2 4x16 microkernel. A is packed pre-broadcast (eight
// copies of each element), so the inner loop is plain 256-bit loads plus
// separate multiplies and adds: Go's SIMD FMA is the destructive 213 form,
// which costs register copies and loop-carried moves, while VMULPS/VADDPS
// are three-operand and on Zen run on separate pipes at the same total rate.
var kernelAVX2 = &gemmKernel{
	name: "avx2", mr: 4, nr: 16, expand: 8, kcMax: 128, ncMax: 512, gflops: 75,
	packA: func(dst []float32, a mat, i0, rows, p0, kc int) {
		packABroadcast(dst, a, 4, 8, i0, rows, p0, kc)
	},
	packB: func(dst []float32, b mat, p0, kc, j0, cols int) {
		packBVec(dst, b, 16, p0, kc, j0, cols)
	},
	micro: microAVX2,
}

type vec8 = [8]float32

// microAVX2 is gemmKernel.micro for mr = 4, nr = 16, expand = 8.
//
// The loop is written as one basic block (do-while) with every statement in
// source order: Go's scheduler then keeps that order instead of hoisting all
// loads, which would need more than the 15 usable vector registers.
func microAVX2(kc int, a unsafe.Pointer, _, _ uintptr, b unsafe.Pointer, bs uintptr, c unsafe.Pointer, ldc uintptr, sc *gemmScalars, flags uint) {
	var c00, c01, c10, c11, c20, c21, c30, c31 archsimd.Float32x8
	for {
		b0 := archsimd.LoadFloat32x8((*vec8)(b))
		b1 := archsimd.LoadFloat32x8((*vec8)(unsafe.Add(b, 32)))
		a0 := archsimd.LoadFloat32x8((*vec8)(a))
		c00 = c00.Add(a0.Mul(b0))
		c01 = c01.Add(a0.Mul(b1))
		a1 := archsimd.LoadFloat32x8((*vec8)(unsafe.Add(a, 32)))
		c10 = c10.Add(a1.Mul(b0))
		c11 = c11.Add(a1.Mul(b1))
		a2 := archsimd.LoadFloat32x8((*vec8)(unsafe.Add(a, 64)))
		c20 = c20.Add(a2.Mul(b0))
		c21 = c21.Add(a2.Mul(b1))
		a3 := archsimd.LoadFloat32x8((*vec8)(unsafe.Add(a, 96)))
		c30 = c30.Add(a3.Mul(b0))
		c31 = c31.Add(a3.Mul(b1))
		kc--
		if kc == 0 {
			break
		}
		a = unsafe.Add(a, 128)
		b = unsafe.Add(b, bs)
	}
	va := archsimd.LoadFloat32x8((*vec8)(sc.alpha[:8]))
	vb := archsimd.LoadFloat32x8((*vec8)(sc.beta[:8]))
	update8(c00, c, va, vb, flags)
	update8(c01, unsafe.Add(c, 32), va, vb, flags)
	c = unsafe.Add(c, ldc)
	update8(c10, c, va, vb, flags)
	update8(c11, unsafe.Add(c, 32), va, vb, flags)
	c = unsafe.Add(c, ldc)
	update8(c20, c, va, vb, flags)
	update8(c21, unsafe.Add(c, 32), va, vb, flags)
	c = unsafe.Add(c, ldc)
	update8(c30, c, va, vb, flags)
	update8(c31, unsafe.Add(c, 32), va, vb, flags)
	archsimd.ClearAVXUpperBits()
}

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

// packABroadcast is gemmKernel.packA for expand = 8 or 16: every element of
// the mr x kc micro-panel is stored as expand equal floats. Bounds are
// checked once up front; the loops use raw pointers.
func packABroadcast(dst []float32, a mat, mr, expand, i0, rows, p0, kc int) {
	src, rs, cs, base := a.s, a.rs, a.cs, a.at(i0, p0) // no struct copies below
	_ = dst[mr*kc*expand-1]
	_ = src[base+(rows-1)*rs+(kc-1)*cs]
	step := uintptr(4 * mr * expand)
	for r := 0; r < mr; r++ {
		d := unsafe.Pointer(&dst[r*expand])
		if r >= rows {
			var z archsimd.Float32x8
			for p := 0; ; {
				z.Store((*vec8)(d))
				if expand == 16 {
					z.Store((*vec8)(unsafe.Add(d, 32)))
				}
				if p++; p == kc {
					break
				}
				d = unsafe.Add(d, step)
			}
			continue
		}
		s := unsafe.Pointer(&src[base+r*rs])
		for p := 0; ; {
			v := archsimd.BroadcastFloat32x8(*(*float32)(s))
			v.Store((*vec8)(d))
			if expand == 16 {
				v.Store((*vec8)(unsafe.Add(d, 32)))
			}
			if p++; p == kc {
				break
			}
			s = unsafe.Add(s, 4*cs)
			d = unsafe.Add(d, step)
		}
	}
	archsimd.ClearAVXUpperBits()
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
