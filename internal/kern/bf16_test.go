package kern

import (
	"math"
	"testing"
)

func TestBF16KnownAnswers(t *testing.T) {
	cases := []struct{ in, want float32 }{
		{1.0, 1.0},
		{1.00390625, 1.0},      // exactly halfway: tie to even (mantissa ...0)
		{1.01171875, 1.015625}, // halfway between 1.0078125 and 1.015625: to even
		{1.0078125, 1.0078125}, // representable
	}
	for _, c := range cases {
		if got := BF16(c.in); got != c.want {
			t.Errorf("BF16(%v) = %v, want %v", c.in, got, c.want)
		}
	}
	if got := BF16(-2.5); got != -2.5 {
		t.Errorf("BF16(-2.5) = %v", got)
	}
	if got := BF16(3.3895314e38); got != 3.3895314e38 {
		t.Errorf("max bf16 changed: %v", got)
	}
	if got := BF16(3.4028235e38); !math.IsInf(float64(got), 1) {
		t.Errorf("max float32 should round to +Inf, got %v", got)
	}
	if got := math.Float32bits(BF16(1e-40)); got&0xffff != 0 || got == 0 {
		t.Errorf("subnormal: bits %#x", got)
	}
	if !math.IsNaN(float64(BF16(float32(math.NaN())))) || !math.IsInf(float64(BF16(float32(math.Inf(-1)))), -1) {
		t.Error("NaN/Inf not preserved")
	}
	// 1 + 2^-8 + 2^-10 is above the halfway point: rounds up to 1 + 2^-7.
	if got := BF16(1 + 1.0/256 + 1.0/1024); got != 1+1.0/128 {
		t.Errorf("above half: got %v", got)
	}
	x := []float32{1.00390625, -1.01171875}
	RoundBF16(x)
	if x[0] != 1 || x[1] != -1.015625 {
		t.Errorf("RoundBF16 = %v", x)
	}
}
