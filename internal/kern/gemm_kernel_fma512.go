//go:build goexperiment.simd && amd64

package kern

import "unsafe"

// kernelFMA512 is the AVX-512 8x32 microkernel, its loop in assembly
// (gemm_fma_amd64.s): fused multiply-adds into the accumulators
// (VFMADD231PS; Go's SIMD FMA overwrites a multiplicand instead, which
// costs a register copy per FMA) and A elements broadcast by the load
// unit: per step 2 loads of B, 8 broadcasts and 16 512-bit FMAs. It reads
// A in place when A's rows are contiguous, else packed (8 floats per step:
// a 256-step micro-panel is 8 KiB of L1). Alone on L1-resident panels it
// runs at the rate of independent FMA chains (BenchmarkMicroFMA512 against
// BenchmarkPeakFMA).
var kernelFMA512 = &gemmKernel{
	name: "avx512fma", mr: 8, nr: 32, inPlace: true, kcMax: 256, ncMax: 512, gflops: 100,
	packA: func(dst []float32, a mat, i0, rows, p0, kc int) {
		packAPlain(dst, a, 8, i0, rows, p0, kc)
	},
	packB: func(dst []float32, b mat, p0, kc, j0, cols int) {
		packBVec(dst, b, 32, p0, kc, j0, cols)
	},
	micro: microFMA512,
}

// fmaTile8x32 writes A*B for one 8x32 tile to C, scaled by *alpha and
// added to C as mode says (gemm_fma_amd64.s; fmaMode).
//
//go:noescape
func fmaTile8x32(kc int, a unsafe.Pointer, ars, acs uintptr, b unsafe.Pointer, bs uintptr, c unsafe.Pointer, ldc uintptr, mode int, alpha *float32)

// microFMA512 is gemmKernel.micro for mr = 8, nr = 32.
func microFMA512(kc int, a unsafe.Pointer, ars, acs uintptr, b unsafe.Pointer, bs uintptr, c unsafe.Pointer, ldc uintptr, sc *gemmScalars, flags uint) {
	if flags&updBeta == 0 {
		fmaTile8x32(kc, a, ars, acs, b, bs, c, ldc, fmaMode(flags), &sc.alpha[0])
		return
	}
	var t [8 * 32]float32
	fmaTile8x32(kc, a, ars, acs, b, bs, unsafe.Pointer(&t), 4*32, 0, nil)
	updateTile(t[:], 8, 32, c, ldc, sc, flags)
}

// fmaMode turns update flags without updBeta into the assembly loops'
// mode: bit 1 adds to C, bit 2 scales by alpha first.
func fmaMode(flags uint) int {
	m := 0
	if flags&updLoad != 0 {
		m |= 1
	}
	if flags&updAlpha != 0 {
		m |= 2
	}
	return m
}
