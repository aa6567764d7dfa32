package kern

import "math"

// Float32 elementary functions shared by the SIMD kernels and their
// scalar tails: the same operations in the same order on every path,
// each product rounded to float32 (no FMA), so a result does not depend
// on which path computed it.

// The coefficients of erf32 (odd numerator, even denominator) and exp32
// (clamp, range reduction, polynomial), and GELU's two constants.
const (
	erfA1, erfA3, erfA5, erfA7   = -1.60960333262415e-02, -2.95459980854025e-03, -7.34990630326855e-04, -5.69250639462346e-05
	erfA9, erfA11, erfA13        = -2.10102402082508e-06, 2.77068142495902e-08, -2.72614225801306e-10
	erfB0, erfB2, erfB4, erfB6   = -1.42647390514189e-02, -7.37332916720468e-03, -1.68282697438203e-03, -2.13374055278905e-04
	erfB8                        = -1.45660718464996e-05
	expHi, expLo                 = 88.3762626647950, -88.3762626647949
	expLog2e, expC1, expC2       = 1.44269504088896341, 0.693359375, -2.12194440e-4
	expP0, expP1, expP2, expP3   = 1.9875691500e-4, 1.3981999507e-3, 8.3334519073e-3, 4.1665795894e-2
	expP4, expP5                 = 1.6666665459e-1, 5.0000001201e-1
	geluInvSqrt2, geluInvSqrt2Pi = 0.70710678118654752, 0.3989422804014327
)

// erf32 is the float32 erf approximation (z clamped to [-4, 4]).
func erf32(z float32) float32 {
	z = min32(max32(z, -4), 4)
	z2 := mul32(z, z)
	p := madd32(z2, erfA13, erfA11)
	p = madd32(z2, p, erfA9)
	p = madd32(z2, p, erfA7)
	p = madd32(z2, p, erfA5)
	p = madd32(z2, p, erfA3)
	p = madd32(z2, p, erfA1)
	p = mul32(z, p)
	q := madd32(z2, erfB8, erfB6)
	q = madd32(z2, q, erfB4)
	q = madd32(z2, q, erfB2)
	q = madd32(z2, q, erfB0)
	return p / q
}

// exp32 is the float32 exp (argument clamped to the float32 range).
func exp32(v float32) float32 {
	v = min32(max32(v, expLo), expHi)
	n := float32(math.Floor(float64(madd32(v, expLog2e, 0.5))))
	r := v - mul32(n, expC1)
	r = r - mul32(n, expC2)
	z := mul32(r, r)
	p := madd32(r, expP0, expP1)
	p = madd32(r, p, expP2)
	p = madd32(r, p, expP3)
	p = madd32(r, p, expP4)
	p = madd32(r, p, expP5)
	p = madd32(p, z, r)
	p = p + 1
	return mul32(p, math.Float32frombits(uint32(int32(n)+127)<<23))
}

// mul32 and madd32 round every product to float32 (an explicit conversion
// forbids fusing it into an FMA), as the SIMD path does.
func mul32(a, b float32) float32 { return float32(a * b) }

func madd32(a, b, c float32) float32 { return float32(a*b) + c }

// max32 and min32 mirror VMAXPS and VMINPS: the second operand when the
// comparison fails (so for a NaN first operand).
func max32(a, b float32) float32 {
	if a > b {
		return a
	}
	return b
}

func min32(a, b float32) float32 {
	if a < b {
		return a
	}
	return b
}
