package kern

import (
	"math"
	"testing"
)

// geluGrid is x on [-12, 12] in steps of 1/512, plus the edges of the
// clamps and special values.
func geluGrid() []float32 {
	var x []float32
	for i := -12 * 512; i <= 12*512; i++ {
		x = append(x, float32(i)/512)
	}
	return append(x, 5.656854, -5.656854, 1e-30, -1e-30, 30, -30, float32(math.Inf(1)))
}

// GELU agrees with float64 math (Phi from math.Erf, the density from
// math.Exp) to float32 round-off: the CDF within 3e-7 absolute, y and the
// derivative within 3e-7 of max(1, |x|).
func TestGELUMatchesFloat64(t *testing.T) {
	x := geluGrid()
	n := len(x)
	y, cdf, dx, ones := make([]float32, n), make([]float32, n), make([]float32, n), make([]float32, n)
	for i := range ones {
		ones[i] = 1
	}
	GELUForward(y, cdf, x)
	GELUBackward(dx, ones, x, cdf)
	worst := [3]float64{}
	for i, v := range x {
		xf := float64(v)
		if math.IsInf(xf, 0) { // as in float64 math: y = x, and inf*0 makes the derivative NaN
			if y[i] != v || !math.IsNaN(float64(dx[i])) {
				t.Errorf("GELU(%v) = %v, derivative %v", v, y[i], dx[i])
			}
			continue
		}
		phi := 0.5 * (1 + math.Erf(xf/math.Sqrt2))
		d := phi + xf*math.Exp(-xf*xf/2)/math.Sqrt(2*math.Pi)
		scale := math.Max(1, math.Abs(xf))
		errs := [3]float64{math.Abs(float64(cdf[i]) - phi), math.Abs(float64(y[i])-xf*phi) / scale, math.Abs(float64(dx[i])-d) / scale}
		for k, e := range errs {
			worst[k] = math.Max(worst[k], e)
			if e > 3e-7 {
				t.Fatalf("x=%v: cdf %v y %v dy/dx %v, want %v %v %v", v, cdf[i], y[i], dx[i], phi, xf*phi, d)
			}
		}
	}
	t.Logf("worst errors: cdf %.2e, y %.2e, dy/dx %.2e", worst[0], worst[1], worst[2])
}

// The SIMD path and the scalar one give the same bits, so a slice's split
// between goroutines does not change the results.
func TestGELUPathsAgreeBitwise(t *testing.T) {
	x := geluGrid()
	n := len(x)
	dy := make([]float32, n)
	for i := range dy {
		dy[i] = float32(i%7) - 3.25
	}
	y, cdf, dx := make([]float32, n), make([]float32, n), make([]float32, n)
	ys, cdfs, dxs := make([]float32, n), make([]float32, n), make([]float32, n)
	GELUForward(y, cdf, x)
	GELUBackward(dx, dy, x, cdf)
	geluForwardScalar(ys, cdfs, x)
	geluBackwardScalar(dxs, dy, x, cdfs)
	for i := range x {
		if math.Float32bits(y[i]) != math.Float32bits(ys[i]) || math.Float32bits(cdf[i]) != math.Float32bits(cdfs[i]) || math.Float32bits(dx[i]) != math.Float32bits(dxs[i]) {
			t.Fatalf("x=%v: SIMD %v %v %v, scalar %v %v %v", x[i], y[i], cdf[i], dx[i], ys[i], cdfs[i], dxs[i])
		}
	}
}
