//go:build goexperiment.simd && amd64

package kern

import "simd/archsimd"

type f8 = archsimd.Float32x8

func b8(v float32) f8 { return archsimd.BroadcastFloat32x8(v) }

// madd8 is a*b + c with the product rounded first (no FMA), like madd32.
func madd8(a, b, c f8) f8 { return a.Mul(b).Add(c) }

// erf8 is erf32 on eight lanes.
func erf8(z f8) f8 {
	z = z.Max(b8(-4)).Min(b8(4))
	z2 := z.Mul(z)
	p := madd8(z2, b8(erfA13), b8(erfA11))
	p = madd8(z2, p, b8(erfA9))
	p = madd8(z2, p, b8(erfA7))
	p = madd8(z2, p, b8(erfA5))
	p = madd8(z2, p, b8(erfA3))
	p = madd8(z2, p, b8(erfA1))
	p = z.Mul(p)
	q := madd8(z2, b8(erfB8), b8(erfB6))
	q = madd8(z2, q, b8(erfB4))
	q = madd8(z2, q, b8(erfB2))
	q = madd8(z2, q, b8(erfB0))
	return p.Div(q)
}

// exp8 is exp32 on eight lanes.
func exp8(v f8) f8 {
	v = v.Max(b8(expLo)).Min(b8(expHi))
	n := madd8(v, b8(expLog2e), b8(0.5)).Floor()
	r := v.Sub(n.Mul(b8(expC1)))
	r = r.Sub(n.Mul(b8(expC2)))
	z := r.Mul(r)
	p := madd8(r, b8(expP0), b8(expP1))
	p = madd8(r, p, b8(expP2))
	p = madd8(r, p, b8(expP3))
	p = madd8(r, p, b8(expP4))
	p = madd8(r, p, b8(expP5))
	p = madd8(p, z, r)
	p = p.Add(b8(1))
	pow := n.ConvertToInt32().Add(archsimd.BroadcastInt32x8(127)).ShiftAllLeft(23).AsFloat32x8()
	return p.Mul(pow)
}
