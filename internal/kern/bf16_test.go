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

// TestBF16Bits checks rounding at the bit level: ties to even at the top of
// the range (to +Inf), among subnormals, and for negative values, and that
// NaNs keep their sign, stay NaN and have zero low bits.
func TestBF16Bits(t *testing.T) {
	cases := []struct{ in, want uint32 }{
		{0x7f7f7fff, 0x7f7f0000}, // just below halfway above the largest bf16: stays
		{0x7f7f8000, 0x7f800000}, // halfway, 0x7f7f is odd: rounds to +Inf
		{0xff7f8000, 0xff800000}, // same, negative
		{0x00018000, 0x00020000}, // subnormal tie, odd: up
		{0x00008000, 0x00000000}, // subnormal tie, even: down to +0
		{0x80008001, 0x80010000}, // negative subnormal above halfway: away from 0
		{0xbf808000, 0xbf800000}, // -1.00390625: tie to even -1
		{0x3f80ffff, 0x3f810000}, // above halfway: up
		{0x80000000, 0x80000000}, // -0 stays -0
	}
	for _, c := range cases {
		if got := math.Float32bits(BF16(math.Float32frombits(c.in))); got != c.want {
			t.Errorf("BF16(%#08x) = %#08x, want %#08x", c.in, got, c.want)
		}
	}
	for _, nan := range []uint32{0x7fc00001, 0xff800001, 0x7f800100} {
		got := math.Float32bits(BF16(math.Float32frombits(nan)))
		if got&0xffff != 0 || got&0x7fffffff <= 0x7f800000 || got>>31 != nan>>31 {
			t.Errorf("BF16(NaN %#08x) = %#08x, want a NaN with the same sign and zero low bits", nan, got)
		}
	}
}
