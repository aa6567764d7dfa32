//go:build goexperiment.simd && amd64

package kern

import "unsafe"

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
func fmaTile6x16(kc int, a unsafe.Pointer, ars, acs uintptr, b unsafe.Pointer, bs uintptr, c unsafe.Pointer, ldc uintptr, mode int, alpha *float32)

// microFMA256 is gemmKernel.micro for mr = 6, nr = 16.
func microFMA256(kc int, a unsafe.Pointer, ars, acs uintptr, b unsafe.Pointer, bs uintptr, c unsafe.Pointer, ldc uintptr, sc *gemmScalars, flags uint) {
	if flags&updBeta == 0 {
		fmaTile6x16(kc, a, ars, acs, b, bs, c, ldc, fmaMode(flags), &sc.alpha[0])
		return
	}
	var t [6 * 16]float32
	fmaTile6x16(kc, a, ars, acs, b, bs, unsafe.Pointer(&t), 4*16, 0, nil)
	updateTile(t[:], 6, 16, c, ldc, sc, flags)
}
