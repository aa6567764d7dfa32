package kern

// Exact GELU, y = x * Phi(x) with Phi the standard normal CDF, in float32
// arithmetic that every code path shares bit for bit: Phi(x) = (1 +
// erf(x/sqrt 2))/2 with erf the rational approximation on [-4, 4] of
// Eigen and XLA (a few float32 ulps), and the derivative's normal density
// from a Cephes-style exp. The SIMD path runs eight lanes at a time with
// separately rounded multiplies and adds, the scalar one the same
// operations on the tail, so results do not depend on how a slice is
// split between goroutines. Against float64 math the CDF is within 3e-7
// absolute and y and dy/dx within float32 round-off of their size.

// GELUForward sets cdf[i] = Phi(x[i]) and y[i] = x[i]*cdf[i].
func GELUForward(y, cdf, x []float32) { geluForward(y[:len(x)], cdf[:len(x)], x) }

// GELUBackward sets dx[i] = dy[i]*(cdf[i] + x[i]*phi(x[i])), phi the
// standard normal density and cdf what GELUForward stored.
func GELUBackward(dx, dy, x, cdf []float32) {
	n := len(dy)
	geluBackward(dx[:n], dy, x[:n], cdf[:n])
}

func geluForwardScalar(y, cdf, x []float32) {
	for i, v := range x {
		c := mul32(0.5, 1+erf32(mul32(v, geluInvSqrt2)))
		cdf[i] = c
		y[i] = mul32(v, c)
	}
}

func geluBackwardScalar(dx, dy, x, cdf []float32) {
	for i, v := range x {
		pdf := mul32(geluInvSqrt2Pi, exp32(mul32(-0.5, mul32(v, v))))
		dx[i] = mul32(dy[i], cdf[i]+mul32(v, pdf))
	}
}
