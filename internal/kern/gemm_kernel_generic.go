package kern

import "unsafe"

// kernelGeneric is the portable pure-Go 4x4 microkernel. It is the only
// kernel of plain builds and the fallback when no SIMD kernel applies.
var kernelGeneric = &gemmKernel{
	name: "generic", mr: 4, nr: 4, inPlace: true, kcMax: 512, ncMax: 256, gflops: 3,
	packA: func(dst []float32, a mat, i0, rows, p0, kc int) {
		packAGeneric(dst, a, 4, i0, rows, p0, kc)
	},
	packB: func(dst []float32, b mat, p0, kc, j0, cols int) {
		packBGeneric(dst, b, 4, p0, kc, j0, cols)
	},
	micro: microGeneric4x4,
}

// microGeneric4x4 is gemmKernel.micro for mr = nr = 4, reading A with
// strides ars, acs (in place, or packed plain).
func microGeneric4x4(kc int, a unsafe.Pointer, ars, acs uintptr, b unsafe.Pointer, bs uintptr, c unsafe.Pointer, ldc uintptr, sc *gemmScalars, flags uint) {
	var c00, c01, c02, c03, c10, c11, c12, c13 float32
	var c20, c21, c22, c23, c30, c31, c32, c33 float32
	for p := 0; ; {
		bv := (*[4]float32)(b)
		a0 := *(*float32)(a)
		a1 := *(*float32)(unsafe.Add(a, ars))
		a2 := *(*float32)(unsafe.Add(a, 2*ars))
		a3 := *(*float32)(unsafe.Add(a, 3*ars))
		b0, b1, b2, b3 := bv[0], bv[1], bv[2], bv[3]
		c00, c01, c02, c03 = c00+a0*b0, c01+a0*b1, c02+a0*b2, c03+a0*b3
		c10, c11, c12, c13 = c10+a1*b0, c11+a1*b1, c12+a1*b2, c13+a1*b3
		c20, c21, c22, c23 = c20+a2*b0, c21+a2*b1, c22+a2*b2, c23+a2*b3
		c30, c31, c32, c33 = c30+a3*b0, c31+a3*b1, c32+a3*b2, c33+a3*b3
		if p++; p == kc {
			break
		}
		a = unsafe.Add(a, acs)
		b = unsafe.Add(b, bs)
	}
	t := [16]float32{c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23, c30, c31, c32, c33}
	updateTile(t[:], 4, 4, c, ldc, sc, flags)
}
