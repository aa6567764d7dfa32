//go:build goexperiment.simd && amd64

package kern

import (
	"simd/archsimd"
	"unsafe"
)

// kernelFMA256 is the AVX2 6x16 microkernel, its loop in assembly
// (fmaTile6x16): kernelFMA512's design on 256-bit registers, for CPUs
// without AVX-512 and for narrow problems.
var kernelFMA256 = &gemmKernel{
	name: "avx2fma", mr: 6, nr: 16, inPlace: true, kcMax: 384, ncMax: 512, gflops: 95,
	packA: func(dst []float32, a mat, i0, rows, p0, kc int) {
		packAPlain(dst, a, 6, i0, rows, p0, kc)
	},
	packB: func(dst []float32, b mat, p0, kc, j0, cols int) {
		packBVec(dst, b, 16, p0, kc, j0, cols)
	},
	micro: microFMA256,
}

// fmaTile6x16 is fmaTile8x32 for one 6x16 tile (gemm_fma_amd64.s).
//
//go:noescape
func fmaTile6x16(kc int, a unsafe.Pointer, ars, acs uintptr, b unsafe.Pointer, bs uintptr, c unsafe.Pointer, ldc uintptr, add int)

// microFMA256 is gemmKernel.micro for mr = 6, nr = 16.
func microFMA256(kc int, a unsafe.Pointer, ars, acs uintptr, b unsafe.Pointer, bs uintptr, c unsafe.Pointer, ldc uintptr, sc *gemmScalars, flags uint) {
	switch flags {
	case 0:
		fmaTile6x16(kc, a, ars, acs, b, bs, c, ldc, 0)
		return
	case updLoad:
		fmaTile6x16(kc, a, ars, acs, b, bs, c, ldc, 1)
		return
	}
	var t [96]float32
	fmaTile6x16(kc, a, ars, acs, b, bs, unsafe.Pointer(&t), 64, 0)
	va := archsimd.LoadFloat32x8((*vec8)(sc.alpha[:8]))
	vb := archsimd.LoadFloat32x8((*vec8)(sc.beta[:8]))
	for r := 0; r < 6; r++ {
		update8(archsimd.LoadFloat32x8((*vec8)(t[16*r:16*r+8])), c, va, vb, flags)
		update8(archsimd.LoadFloat32x8((*vec8)(t[16*r+8:16*r+16])), unsafe.Add(c, 32), va, vb, flags)
		c = unsafe.Add(c, ldc)
	}
	archsimd.ClearAVXUpperBits()
}
