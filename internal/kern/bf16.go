package kern

import "math"

// BF16 rounds x to the nearest bfloat16 value (round to nearest, ties to
// even) and returns it as a float32 whose low 16 bits are zero. NaN stays
// NaN (quiet) and infinities stay infinite; values that round past the
// largest bfloat16 become infinite, as in hardware conversion.
func BF16(x float32) float32 {
	b := math.Float32bits(x)
	if b&0x7f800000 == 0x7f800000 { // Inf or NaN
		if b&0x007fffff != 0 {
			return math.Float32frombits((b | 0x00400000) &^ 0xffff) // quiet, payload truncated
		}
		return x
	}
	b += 0x7fff + (b>>16)&1
	return math.Float32frombits(b &^ 0xffff)
}

// RoundBF16 applies BF16 to every element of x in place.
func RoundBF16(x []float32) {
	for i, v := range x {
		x[i] = BF16(v)
	}
}
