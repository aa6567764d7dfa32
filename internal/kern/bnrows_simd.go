//go:build goexperiment.simd && amd64

package kern

import "simd/archsimd"

// bnForwardRows runs the first c/8*8 channels of every row eight at a
// time with AVX and the rest with the scalar reference.
func bnForwardRows(xhat, out, x []float32, c int, mean, invStd, scale, shift []float32) {
	if c%8 == 0 && c <= 16 && archsimd.X86.AVX() {
		bnForwardNarrow(xhat, out, x, c, mean, invStd, scale, shift)
		return
	}
	c8 := c / 8 * 8
	if c8 > 0 && archsimd.X86.AVX() {
		for off := 0; off+c <= len(x); off += c {
			for j := 0; j < c8; j += 8 {
				v := archsimd.LoadFloat32x8((*vec8)(x[off+j : off+j+8]))
				m := archsimd.LoadFloat32x8((*vec8)(mean[j : j+8]))
				s := archsimd.LoadFloat32x8((*vec8)(invStd[j : j+8]))
				v.Sub(m).Mul(s).Store((*vec8)(xhat[off+j : off+j+8]))
				g := archsimd.LoadFloat32x8((*vec8)(scale[j : j+8]))
				b := archsimd.LoadFloat32x8((*vec8)(shift[j : j+8]))
				v.Mul(g).Add(b).Store((*vec8)(out[off+j : off+j+8]))
			}
		}
		archsimd.ClearAVXUpperBits()
	} else {
		c8 = 0
	}
	if c8 < c {
		bnForwardScalar(xhat, out, x, c, c8, mean, invStd, scale, shift)
	}
}

// bnBackwardRows is bnForwardRows' counterpart for BNBackwardRows.
func bnBackwardRows(dx, dy, xhat []float32, c int, k, mdy, mdx []float32) {
	if c%8 == 0 && c <= 16 && archsimd.X86.AVX() {
		bnBackwardNarrow(dx, dy, xhat, c, k, mdy, mdx)
		return
	}
	c8 := c / 8 * 8
	if c8 > 0 && archsimd.X86.AVX() {
		for off := 0; off+c <= len(dy); off += c {
			for j := 0; j < c8; j += 8 {
				g := archsimd.LoadFloat32x8((*vec8)(dy[off+j : off+j+8]))
				h := archsimd.LoadFloat32x8((*vec8)(xhat[off+j : off+j+8]))
				t := g.Sub(archsimd.LoadFloat32x8((*vec8)(mdy[j : j+8])))
				t = t.Sub(h.Mul(archsimd.LoadFloat32x8((*vec8)(mdx[j : j+8]))))
				archsimd.LoadFloat32x8((*vec8)(k[j : j+8])).Mul(t).Store((*vec8)(dx[off+j : off+j+8]))
			}
		}
		archsimd.ClearAVXUpperBits()
	} else {
		c8 = 0
	}
	if c8 < c {
		bnBackwardScalar(dx, dy, xhat, c, c8, k, mdy, mdx)
	}
}

// bnForwardNarrow is bnForwardRows for 8 or 16 channels (oneDNN's
// blocked layouts): each group of eight channels keeps its per-channel
// vectors in registers while it walks the rows.
func bnForwardNarrow(xhat, out, x []float32, c int, mean, invStd, scale, shift []float32) {
	for j := 0; j < c; j += 8 {
		m := archsimd.LoadFloat32x8((*vec8)(mean[j : j+8]))
		s := archsimd.LoadFloat32x8((*vec8)(invStd[j : j+8]))
		g := archsimd.LoadFloat32x8((*vec8)(scale[j : j+8]))
		b := archsimd.LoadFloat32x8((*vec8)(shift[j : j+8]))
		for off := j; off+8 <= len(x); off += c {
			v := archsimd.LoadFloat32x8((*vec8)(x[off : off+8]))
			v.Sub(m).Mul(s).Store((*vec8)(xhat[off : off+8]))
			v.Mul(g).Add(b).Store((*vec8)(out[off : off+8]))
		}
	}
	archsimd.ClearAVXUpperBits()
}

// bnBackwardNarrow is bnForwardNarrow's counterpart for bnBackwardRows.
func bnBackwardNarrow(dx, dy, xhat []float32, c int, k, mdy, mdx []float32) {
	for j := 0; j < c; j += 8 {
		kk := archsimd.LoadFloat32x8((*vec8)(k[j : j+8]))
		my := archsimd.LoadFloat32x8((*vec8)(mdy[j : j+8]))
		mx := archsimd.LoadFloat32x8((*vec8)(mdx[j : j+8]))
		for off := j; off+8 <= len(dy); off += c {
			g := archsimd.LoadFloat32x8((*vec8)(dy[off : off+8]))
			h := archsimd.LoadFloat32x8((*vec8)(xhat[off : off+8]))
			kk.Mul(g.Sub(my).Sub(h.Mul(mx))).Store((*vec8)(dx[off : off+8]))
		}
	}
	archsimd.ClearAVXUpperBits()
}
