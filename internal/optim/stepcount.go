package optim

import (
	"fmt"
	"math"
)

// stepRadix is the base of the two-word step encoding: 2^24, the largest
// power of two below which every integer is exact in float32.
const stepRadix = 1 << 24

// EncodeStep stores a step count exactly in two float32 words,
// [n mod 2^24, n div 2^24]. Both words are small non-negative integers, so
// they survive any float conversion or serialisation unchanged; counts up to
// 2^48-1 are representable.
func EncodeStep(n int) []float32 {
	if n < 0 || n >= stepRadix*stepRadix {
		panic(fmt.Sprintf("optim: step count %d outside [0, 2^48)", n))
	}
	return []float32{float32(n % stepRadix), float32(n / stepRadix)}
}

// DecodeStep inverts EncodeStep and rejects anything it could not have
// produced.
func DecodeStep(v []float32) (int, error) {
	if len(v) != 2 {
		return 0, fmt.Errorf("optim: %q entry has %d values, want 2 (low, high words)", StepKey, len(v))
	}
	n := 0
	for i, scale := range []int{1, stepRadix} {
		x := float64(v[i])
		if x < 0 || x >= stepRadix || x != math.Trunc(x) {
			return 0, fmt.Errorf("optim: %q word %d = %v is not an integer in [0, 2^24)", StepKey, i, v[i])
		}
		n += int(x) * scale
	}
	return n, nil
}
