//go:build goexperiment.simd && amd64

package kern

import (
	"simd/archsimd"
	"unsafe"
)

// kernelAVX512 is the AVX-512 6x32 microkernel, the 512-bit analogue of
// kernelAVX2 (pre-broadcast A with sixteen copies, separate multiply and add;
// see gemm_kernel_avx2.go for why). kcMax keeps the 6*kc*16-float A
// micro-panel at 24 KiB so it stays in L1 next to the B panel.
var kernelAVX512 = &gemmKernel{
	name: "avx512", mr: 6, nr: 32, expand: 16, kcMax: 64, ncMax: 512, gflops: 150,
	packA: func(dst []float32, a mat, i0, rows, p0, kc int) {
		packABroadcast(dst, a, 6, 16, i0, rows, p0, kc)
	},
	packB: func(dst []float32, b mat, p0, kc, j0, cols int) {
		packBVec(dst, b, 32, p0, kc, j0, cols)
	},
	micro: microAVX512,
}

type vec16 = [16]float32

// microAVX512 is gemmKernel.micro for mr = 6, nr = 32, expand = 16.
func microAVX512(kc int, a unsafe.Pointer, _, _ uintptr, b unsafe.Pointer, bs uintptr, c unsafe.Pointer, ldc uintptr, sc *gemmScalars, flags uint) {
	var c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51 archsimd.Float32x16
	for {
		b0 := archsimd.LoadFloat32x16((*vec16)(b))
		b1 := archsimd.LoadFloat32x16((*vec16)(unsafe.Add(b, 64)))
		a0 := archsimd.LoadFloat32x16((*vec16)(a))
		c00 = c00.Add(a0.Mul(b0))
		c01 = c01.Add(a0.Mul(b1))
		a1 := archsimd.LoadFloat32x16((*vec16)(unsafe.Add(a, 64)))
		c10 = c10.Add(a1.Mul(b0))
		c11 = c11.Add(a1.Mul(b1))
		a2 := archsimd.LoadFloat32x16((*vec16)(unsafe.Add(a, 128)))
		c20 = c20.Add(a2.Mul(b0))
		c21 = c21.Add(a2.Mul(b1))
		a3 := archsimd.LoadFloat32x16((*vec16)(unsafe.Add(a, 192)))
		c30 = c30.Add(a3.Mul(b0))
		c31 = c31.Add(a3.Mul(b1))
		a4 := archsimd.LoadFloat32x16((*vec16)(unsafe.Add(a, 256)))
		c40 = c40.Add(a4.Mul(b0))
		c41 = c41.Add(a4.Mul(b1))
		a5 := archsimd.LoadFloat32x16((*vec16)(unsafe.Add(a, 320)))
		c50 = c50.Add(a5.Mul(b0))
		c51 = c51.Add(a5.Mul(b1))
		kc--
		if kc == 0 {
			break
		}
		a = unsafe.Add(a, 384)
		b = unsafe.Add(b, bs)
	}
	va := archsimd.LoadFloat32x16((*vec16)(sc.alpha[:16]))
	vb := archsimd.LoadFloat32x16((*vec16)(sc.beta[:16]))
	update16(c00, c, va, vb, flags)
	update16(c01, unsafe.Add(c, 64), va, vb, flags)
	c = unsafe.Add(c, ldc)
	update16(c10, c, va, vb, flags)
	update16(c11, unsafe.Add(c, 64), va, vb, flags)
	c = unsafe.Add(c, ldc)
	update16(c20, c, va, vb, flags)
	update16(c21, unsafe.Add(c, 64), va, vb, flags)
	c = unsafe.Add(c, ldc)
	update16(c30, c, va, vb, flags)
	update16(c31, unsafe.Add(c, 64), va, vb, flags)
	c = unsafe.Add(c, ldc)
	update16(c40, c, va, vb, flags)
	update16(c41, unsafe.Add(c, 64), va, vb, flags)
	c = unsafe.Add(c, ldc)
	update16(c50, c, va, vb, flags)
	update16(c51, unsafe.Add(c, 64), va, vb, flags)
	archsimd.ClearAVXUpperBits()
}

// update16 writes acc to the 16 floats at c according to flags (see updAlpha).
func update16(acc archsimd.Float32x16, c unsafe.Pointer, va, vb archsimd.Float32x16, flags uint) {
	if flags&updAlpha != 0 {
		acc = acc.Mul(va)
	}
	if flags&updLoad != 0 {
		old := archsimd.LoadFloat32x16((*vec16)(c))
		if flags&updBeta != 0 {
			old = old.Mul(vb)
		}
		acc = old.Add(acc)
	}
	acc.Store((*vec16)(c))
}
