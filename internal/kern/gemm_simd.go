//go:build goexperiment.simd && amd64

package kern

import "simd/archsimd"

// Packing for the SIMD microkernels.

type vec8 = [8]float32

// packBVec is gemmKernel.packB for nr a multiple of 8, copying whole rows
// with vector moves when B's rows are contiguous.
func packBVec(dst []float32, b mat, nr, p0, kc, j0, cols int) {
	if b.rs == 1 && cols == nr {
		packBTransposed(dst, b, nr, p0, kc, j0)
		return
	}
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

// packBTransposed is packBVec for a B whose columns are contiguous (a
// transposed operand): 8x8 blocks are loaded as eight columns of B,
// transposed in registers (two rounds of in-lane shuffles transpose the
// 4x4 blocks, then 128-bit halves are exchanged) and stored as eight rows
// of the panel; the last kc%8 rows are gathered one by one. Written out
// without arrays or calls: copies of vector arrays compile to legacy-SSE
// moves, which are very slow on dirty upper YMM state.
func packBTransposed(dst []float32, b mat, nr, p0, kc, j0 int) {
	dst = dst[:kc*nr]
	src, cs, off := b.s, b.cs, b.at(p0, j0) // no struct copies below
	p8 := kc / 8 * 8
	for j := 0; j < nr; j += 8 {
		base := off + j*cs
		_ = src[base+7*cs+kc-1]
		for p := 0; p < p8; p += 8 {
			o := base + p
			r0 := archsimd.LoadFloat32x8((*vec8)(src[o : o+8]))
			r1 := archsimd.LoadFloat32x8((*vec8)(src[o+cs : o+cs+8]))
			r2 := archsimd.LoadFloat32x8((*vec8)(src[o+2*cs : o+2*cs+8]))
			r3 := archsimd.LoadFloat32x8((*vec8)(src[o+3*cs : o+3*cs+8]))
			u0, u1, u2, u3 := transpose4x4(r0, r1, r2, r3)
			r4 := archsimd.LoadFloat32x8((*vec8)(src[o+4*cs : o+4*cs+8]))
			r5 := archsimd.LoadFloat32x8((*vec8)(src[o+5*cs : o+5*cs+8]))
			r6 := archsimd.LoadFloat32x8((*vec8)(src[o+6*cs : o+6*cs+8]))
			r7 := archsimd.LoadFloat32x8((*vec8)(src[o+7*cs : o+7*cs+8]))
			v0, v1, v2, v3 := transpose4x4(r4, r5, r6, r7)
			d := p*nr + j
			u0.Select128FromPair(0, 2, v0).Store((*vec8)(dst[d : d+8]))
			u1.Select128FromPair(0, 2, v1).Store((*vec8)(dst[d+nr : d+nr+8]))
			u2.Select128FromPair(0, 2, v2).Store((*vec8)(dst[d+2*nr : d+2*nr+8]))
			u3.Select128FromPair(0, 2, v3).Store((*vec8)(dst[d+3*nr : d+3*nr+8]))
			u0.Select128FromPair(1, 3, v0).Store((*vec8)(dst[d+4*nr : d+4*nr+8]))
			u1.Select128FromPair(1, 3, v1).Store((*vec8)(dst[d+5*nr : d+5*nr+8]))
			u2.Select128FromPair(1, 3, v2).Store((*vec8)(dst[d+6*nr : d+6*nr+8]))
			u3.Select128FromPair(1, 3, v3).Store((*vec8)(dst[d+7*nr : d+7*nr+8]))
		}
		archsimd.ClearAVXUpperBits() // before the scalar (SSE) moves
		for p := p8; p < kc; p++ {
			for i := range 8 {
				dst[p*nr+j+i] = src[base+i*cs+p]
			}
		}
	}
}

// transpose4x4 transposes the 4x4 blocks in each 128-bit half of rows a,
// b, c, d: element i of result c is element c of row i, per half.
func transpose4x4(a, b, c, d archsimd.Float32x8) (c0, c1, c2, c3 archsimd.Float32x8) {
	t0, t1 := a.SelectFromPairGrouped(0, 1, 4, 5, b), a.SelectFromPairGrouped(2, 3, 6, 7, b)
	t2, t3 := c.SelectFromPairGrouped(0, 1, 4, 5, d), c.SelectFromPairGrouped(2, 3, 6, 7, d)
	return t0.SelectFromPairGrouped(0, 2, 4, 6, t2), t0.SelectFromPairGrouped(1, 3, 5, 7, t2),
		t1.SelectFromPairGrouped(0, 2, 4, 6, t3), t1.SelectFromPairGrouped(1, 3, 5, 7, t3)
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
