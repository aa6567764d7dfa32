//go:build goexperiment.simd && amd64

package kern

import "simd/archsimd"

// narrow reports whether the AVX2 paths take c channels: 8 or 16, eight
// lanes at a time with the per-channel vectors held in registers.
func narrow(c int) bool { return (c == 8 || c == 16) && archsimd.X86.AVX2() }

// bnMoments is BNMoments with AVX2 for 8 or 16 channels.
func bnMoments(sum, sumSq []float64, x []float32, c int) {
	if !narrow(c) {
		bnMomentsScalar(sum, sumSq, x, c)
		return
	}
	for j := 0; j < c; j += 8 {
		var slo, shi, qlo, qhi archsimd.Float64x4
		for off := j; off+8 <= len(x); off += c {
			v := archsimd.LoadFloat32x8((*vec8)(x[off : off+8]))
			lo, hi := v.GetLo().ConvertToFloat64(), v.GetHi().ConvertToFloat64()
			slo, shi = slo.Add(lo), shi.Add(hi)
			qlo, qhi = qlo.Add(lo.Mul(lo)), qhi.Add(hi.Mul(hi))
		}
		addLanes(sum[j:j+8], slo, shi)
		addLanes(sumSq[j:j+8], qlo, qhi)
	}
}

// bnNormalize is BNNormalize with AVX2 for 8 or 16 channels.
func bnNormalize(out, x []float32, c int, scale, shift []float32, relu bool) {
	if !narrow(c) {
		bnNormalizeScalar(out, x, c, scale, shift, relu)
		return
	}
	var zero archsimd.Float32x8
	for j := 0; j < c; j += 8 {
		g := archsimd.LoadFloat32x8((*vec8)(scale[j : j+8]))
		b := archsimd.LoadFloat32x8((*vec8)(shift[j : j+8]))
		for off := j; off+8 <= len(x); off += c {
			v := archsimd.LoadFloat32x8((*vec8)(x[off : off+8])).Mul(g).Add(b)
			if relu {
				v = v.Masked(v.Greater(zero).Or(v.NotEqual(v)))
			}
			v.Store((*vec8)(out[off : off+8]))
		}
	}
	archsimd.ClearAVXUpperBits()
}

// normVecs holds one eight-channel group's Norm vectors in registers.
type normVecs struct{ m, s, g, b archsimd.Float32x8 }

func loadNorm(nm Norm, j int) normVecs {
	return normVecs{
		archsimd.LoadFloat32x8((*vec8)(nm.Mean[j : j+8])), archsimd.LoadFloat32x8((*vec8)(nm.InvStd[j : j+8])),
		archsimd.LoadFloat32x8((*vec8)(nm.Scale[j : j+8])), archsimd.LoadFloat32x8((*vec8)(nm.Shift[j : j+8])),
	}
}

// grad returns the masked gradient and xhat of eight channels of a row.
func (n normVecs) grad(dy, x []float32, relu bool) (g, h archsimd.Float32x8) {
	var zero archsimd.Float32x8
	v := archsimd.LoadFloat32x8((*vec8)(x))
	g = archsimd.LoadFloat32x8((*vec8)(dy))
	if relu {
		g = g.Masked(v.Mul(n.g).Add(n.b).Greater(zero))
	}
	return g, v.Sub(n.m).Mul(n.s)
}

// bnGradSums is BNGradSums with AVX2 for 8 or 16 channels: the masked
// gradient and xhat are formed in float32, then widened four lanes at a
// time and accumulated in float64.
func bnGradSums(sum, prod []float64, dy, x []float32, c int, nm Norm, relu bool) {
	if !narrow(c) {
		bnGradSumsScalar(sum, prod, dy, x, c, nm, relu)
		return
	}
	for j := 0; j < c; j += 8 {
		n := loadNorm(nm, j)
		var slo, shi, plo, phi archsimd.Float64x4
		for off := j; off+8 <= len(dy); off += c {
			g, h := n.grad(dy[off:off+8], x[off:off+8], relu)
			glo, ghi := g.GetLo().ConvertToFloat64(), g.GetHi().ConvertToFloat64()
			slo, shi = slo.Add(glo), shi.Add(ghi)
			plo = plo.Add(glo.Mul(h.GetLo().ConvertToFloat64()))
			phi = phi.Add(ghi.Mul(h.GetHi().ConvertToFloat64()))
		}
		addLanes(sum[j:j+8], slo, shi)
		addLanes(prod[j:j+8], plo, phi)
	}
}

// bnInputGrad is BNInputGrad with AVX2 for 8 or 16 channels.
func bnInputGrad(dx, dy, x []float32, c int, nm Norm, k, mdy, mdx []float32, relu bool) {
	if !narrow(c) {
		bnInputGradScalar(dx, dy, x, c, nm, k, mdy, mdx, relu)
		return
	}
	for j := 0; j < c; j += 8 {
		n := loadNorm(nm, j)
		kk := archsimd.LoadFloat32x8((*vec8)(k[j : j+8]))
		my := archsimd.LoadFloat32x8((*vec8)(mdy[j : j+8]))
		mx := archsimd.LoadFloat32x8((*vec8)(mdx[j : j+8]))
		for off := j; off+8 <= len(dy); off += c {
			g, h := n.grad(dy[off:off+8], x[off:off+8], relu)
			kk.Mul(g.Sub(my).Sub(h.Mul(mx))).Store((*vec8)(dx[off : off+8]))
		}
	}
	archsimd.ClearAVXUpperBits()
}

// addLanes adds the eight float64 lanes of lo, hi to acc and leaves the
// AVX state clean.
func addLanes(acc []float64, lo, hi archsimd.Float64x4) {
	var t [8]float64
	lo.Store((*[4]float64)(t[0:4]))
	hi.Store((*[4]float64)(t[4:8]))
	archsimd.ClearAVXUpperBits()
	for j, v := range t {
		acc[j] += v
	}
}
