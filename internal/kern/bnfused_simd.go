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
	// A 16-channel row is read whole, each half into sums of its own: one
	// pass over the data and twice the independent add chains, every
	// channel still summed in row order.
	var s0, q0, s1, q1 sums8
	for off := 0; off+c <= len(x); off += c {
		s0, q0 = s0.moments(q0, x[off:off+8])
		if c == 16 {
			s1, q1 = s1.moments(q1, x[off+8:off+16])
		}
	}
	s0.addTo(sum[0:8])
	q0.addTo(sumSq[0:8])
	if c == 16 {
		s1.addTo(sum[8:16])
		q1.addTo(sumSq[8:16])
	}
}

// sums8 is eight float64 running sums, one per channel of a group.
type sums8 struct{ lo, hi archsimd.Float64x4 }

// moments returns s plus the eight values of x and q plus their squares.
func (s sums8) moments(q sums8, x []float32) (sums8, sums8) {
	v := archsimd.LoadFloat32x8((*vec8)(x))
	lo, hi := v.GetLo().ConvertToFloat64(), v.GetHi().ConvertToFloat64()
	return sums8{s.lo.Add(lo), s.hi.Add(hi)}, sums8{q.lo.Add(lo.Mul(lo)), q.hi.Add(hi.Mul(hi))}
}

// bnNormalize is BNNormalize with AVX2 for 8 or 16 channels.
func bnNormalize(out, x []float32, c int, scale, shift []float32, relu bool) {
	if !narrow(c) {
		bnNormalizeScalar(out, x, c, scale, shift, relu)
		return
	}
	g0, b0 := archsimd.LoadFloat32x8((*vec8)(scale[0:8])), archsimd.LoadFloat32x8((*vec8)(shift[0:8]))
	var g1, b1 archsimd.Float32x8
	if c == 16 {
		g1, b1 = archsimd.LoadFloat32x8((*vec8)(scale[8:16])), archsimd.LoadFloat32x8((*vec8)(shift[8:16]))
	}
	for off := 0; off+c <= len(x); off += c {
		normalize8(out[off:off+8], x[off:off+8], g0, b0, relu)
		if c == 16 {
			normalize8(out[off+8:off+16], x[off+8:off+16], g1, b1, relu)
		}
	}
	archsimd.ClearAVXUpperBits()
}

// normalize8 sets out = x*g + b for eight channels, then ReLU with relu.
func normalize8(out, x []float32, g, b archsimd.Float32x8, relu bool) {
	var zero archsimd.Float32x8
	v := archsimd.LoadFloat32x8((*vec8)(x)).Mul(g).Add(b)
	if relu {
		v = v.Masked(v.Greater(zero).Or(v.NotEqual(v)))
	}
	v.Store((*vec8)(out))
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
	n0, n1 := loadNorm(nm, 0), normVecs{}
	if c == 16 {
		n1 = loadNorm(nm, 8)
	}
	var s0, p0, s1, p1 sums8
	for off := 0; off+c <= len(dy); off += c {
		g, h := n0.grad(dy[off:off+8], x[off:off+8], relu)
		s0, p0 = s0.grads(p0, g, h)
		if c == 16 {
			g, h = n1.grad(dy[off+8:off+16], x[off+8:off+16], relu)
			s1, p1 = s1.grads(p1, g, h)
		}
	}
	s0.addTo(sum[0:8])
	p0.addTo(prod[0:8])
	if c == 16 {
		s1.addTo(sum[8:16])
		p1.addTo(prod[8:16])
	}
}

// grads returns s plus the masked gradient g of eight channels and p
// plus g*xhat, widened to float64.
func (s sums8) grads(p sums8, g, xhat archsimd.Float32x8) (sums8, sums8) {
	glo, ghi := g.GetLo().ConvertToFloat64(), g.GetHi().ConvertToFloat64()
	return sums8{s.lo.Add(glo), s.hi.Add(ghi)},
		sums8{p.lo.Add(glo.Mul(xhat.GetLo().ConvertToFloat64())), p.hi.Add(ghi.Mul(xhat.GetHi().ConvertToFloat64()))}
}

// bnInputGrad is BNInputGrad with AVX2 for 8 or 16 channels.
func bnInputGrad(dx, dy, x []float32, c int, nm Norm, k, mdy, mdx []float32, relu bool) {
	if !narrow(c) {
		bnInputGradScalar(dx, dy, x, c, nm, k, mdy, mdx, relu)
		return
	}
	n0, n1 := loadNorm(nm, 0), normVecs{}
	k0, my0, mx0 := load8(k, 0), load8(mdy, 0), load8(mdx, 0)
	var k1, my1, mx1 archsimd.Float32x8
	if c == 16 {
		n1, k1, my1, mx1 = loadNorm(nm, 8), load8(k, 8), load8(mdy, 8), load8(mdx, 8)
	}
	for off := 0; off+c <= len(dy); off += c {
		g, h := n0.grad(dy[off:off+8], x[off:off+8], relu)
		k0.Mul(g.Sub(my0).Sub(h.Mul(mx0))).Store((*vec8)(dx[off : off+8]))
		if c == 16 {
			g, h = n1.grad(dy[off+8:off+16], x[off+8:off+16], relu)
			k1.Mul(g.Sub(my1).Sub(h.Mul(mx1))).Store((*vec8)(dx[off+8 : off+16]))
		}
	}
	archsimd.ClearAVXUpperBits()
}

// load8 returns v[j:j+8] as a vector.
func load8(v []float32, j int) archsimd.Float32x8 { return archsimd.LoadFloat32x8((*vec8)(v[j : j+8])) }

// addTo adds the eight sums to acc and leaves the AVX state clean.
func (s sums8) addTo(acc []float64) {
	var t [8]float64
	s.lo.Store((*[4]float64)(t[0:4]))
	s.hi.Store((*[4]float64)(t[4:8]))
	archsimd.ClearAVXUpperBits()
	for j, v := range t {
		acc[j] += v
	}
}
