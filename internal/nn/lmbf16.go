package nn

import "wdlab/internal/kern"

// lmRoundCopy copies src into dst (grown as needed), rounds it to bf16 and
// returns it: the bf16 operand of a matmul when BF16 emulation is on.
func lmRoundCopy(dst, src []float32) []float32 {
	if cap(dst) < len(src) {
		dst = make([]float32, len(src))
	}
	dst = dst[:len(src)]
	copy(dst, src)
	lmRound(dst)
	return dst
}

// lmRound rounds x to bf16 in place, in parallel for large slices.
func lmRound(x []float32) {
	parFor(len(x), 1<<16, func(lo, hi int) { kern.RoundBF16(x[lo:hi]) })
}
