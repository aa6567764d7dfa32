//go:build goexperiment.simd && amd64

package kern

import (
	"simd/archsimd"
	"unsafe"
)

// kernelFMA512 is the AVX-512 8x32 microkernel, its loop in assembly
// (gemm_fma_amd64.s): fused multiply-adds into the accumulators
// (VFMADD231PS; Go's SIMD FMA overwrites a multiplicand instead, which
// costs a register copy per FMA) and A elements broadcast by the load
// unit, 26 instructions per step for 16 512-bit FMAs. It reads A in place
// when A's rows are contiguous, else packed plain (8 floats per step: a
// 256-step micro-panel is 8 KiB of L1). On a Zen 4 core, which splits a
// 512-bit FMA into two 256-bit halves, the loop runs at 94% of an FMA
// loop's rate (BenchmarkMicroFMA512) where the AVX2 4x16 one reaches 69%.
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

// fmaTile8x32 stores (add 0) or adds (add 1) A*B for one 8x32 tile to row
// r of C at c + r*ldc bytes (gemm_fma_amd64.s).
//
//go:noescape
func fmaTile8x32(kc int, a unsafe.Pointer, ars, acs uintptr, b unsafe.Pointer, bs uintptr, c unsafe.Pointer, ldc uintptr, add int)

// microFMA512 is gemmKernel.micro for mr = 8, nr = 32.
func microFMA512(kc int, a unsafe.Pointer, ars, acs uintptr, b unsafe.Pointer, bs uintptr, c unsafe.Pointer, ldc uintptr, sc *gemmScalars, flags uint) {
	switch flags {
	case 0:
		fmaTile8x32(kc, a, ars, acs, b, bs, c, ldc, 0)
		return
	case updLoad:
		fmaTile8x32(kc, a, ars, acs, b, bs, c, ldc, 1)
		return
	}
	var t [256]float32
	fmaTile8x32(kc, a, ars, acs, b, bs, unsafe.Pointer(&t), 128, 0)
	va := archsimd.LoadFloat32x16((*vec16)(sc.alpha[:16]))
	vb := archsimd.LoadFloat32x16((*vec16)(sc.beta[:16]))
	for r := 0; r < 8; r++ {
		update16(archsimd.LoadFloat32x16((*vec16)(t[32*r:32*r+16])), c, va, vb, flags)
		update16(archsimd.LoadFloat32x16((*vec16)(t[32*r+16:32*r+32])), unsafe.Add(c, 64), va, vb, flags)
		c = unsafe.Add(c, ldc)
	}
	archsimd.ClearAVXUpperBits()
}

type vec16 = [16]float32

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
