//go:build goexperiment.simd && amd64

package kern

import (
	"simd/archsimd"
	"unsafe"
)

// kernelAVX2Rows is the AVX2 4x16 microkernel that reads A in place (four
// row pointers) and broadcasts each element itself. Its inner loop is slower
// than kernelAVX2's (the broadcasts compete with the multiplies), but it
// needs no A packing at all, so it wins when B is narrow (each A element is
// used by only one or two B panels) and when A is a huge row-major matrix
// that is best streamed once, in order, with kc = k.
var kernelAVX2Rows = &gemmKernel{
	name: "avx2rows", mr: 4, nr: 16, expand: 1, inPlace: true, kcMax: 1536, ncMax: 512, gflops: 50,
	packA: func(dst []float32, a mat, i0, rows, p0, kc int) {
		packAGeneric(dst, a, 4, 1, i0, rows, p0, kc)
	},
	packB: func(dst []float32, b mat, p0, kc, j0, cols int) {
		packBVec(dst, b, 16, p0, kc, j0, cols)
	},
	micro: microAVX2Rows,
}

// microAVX2Rows is gemmKernel.micro for mr = 4, nr = 16, reading A(r, p)
// at a + r*ars + p*acs. Like microAVX2 it is one basic block in source order.
func microAVX2Rows(kc int, a unsafe.Pointer, ars, acs uintptr, b unsafe.Pointer, bs uintptr, c unsafe.Pointer, ldc uintptr, sc *gemmScalars, flags uint) {
	p0 := a
	p1 := unsafe.Add(a, ars)
	p2 := unsafe.Add(a, 2*ars)
	p3 := unsafe.Add(a, 3*ars)
	var c00, c01, c10, c11, c20, c21, c30, c31 archsimd.Float32x8
	for {
		b0 := archsimd.LoadFloat32x8((*vec8)(b))
		b1 := archsimd.LoadFloat32x8((*vec8)(unsafe.Add(b, 32)))
		a0 := archsimd.BroadcastFloat32x8(*(*float32)(p0))
		c00 = c00.Add(a0.Mul(b0))
		c01 = c01.Add(a0.Mul(b1))
		a1 := archsimd.BroadcastFloat32x8(*(*float32)(p1))
		c10 = c10.Add(a1.Mul(b0))
		c11 = c11.Add(a1.Mul(b1))
		a2 := archsimd.BroadcastFloat32x8(*(*float32)(p2))
		c20 = c20.Add(a2.Mul(b0))
		c21 = c21.Add(a2.Mul(b1))
		a3 := archsimd.BroadcastFloat32x8(*(*float32)(p3))
		c30 = c30.Add(a3.Mul(b0))
		c31 = c31.Add(a3.Mul(b1))
		kc--
		if kc == 0 {
			break
		}
		p0 = unsafe.Add(p0, acs)
		p1 = unsafe.Add(p1, acs)
		p2 = unsafe.Add(p2, acs)
		p3 = unsafe.Add(p3, acs)
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
