package nn

import "wdlab/internal/kern"

// GELU is the exact Gaussian error linear unit y = x Phi(x) =
// x (1 + erf(x/sqrt 2)) / 2 (PyTorch nn.GELU() default, as in nanoGPT).
// Forward keeps Phi(x) for Backward. The arithmetic is kern.GELUForward's
// float32 approximation (within 3e-7 of float64 math). With bf16 on, y and
// dL/dx are rounded to bf16.
type GELU struct {
	bf16    bool
	x       *Tensor
	cdf     []float32
	out, dx *Tensor
}

// Forward applies GELU elementwise.
func (l *GELU) Forward(x *Tensor, _ Mode) *Tensor {
	l.x = x
	l.out = reuse(l.out, x.Shape...)
	if len(l.cdf) != len(x.Data) {
		l.cdf = make([]float32, len(x.Data))
	}
	parFor(len(x.Data), 1<<14, func(lo, hi int) {
		kern.GELUForward(l.out.Data[lo:hi], l.cdf[lo:hi], x.Data[lo:hi])
	})
	if l.bf16 {
		lmRound(l.out.Data)
	}
	return l.out
}

// Backward returns dx = dy (Phi(x) + x phi(x)).
func (l *GELU) Backward(dy *Tensor) *Tensor {
	l.dx = reuse(l.dx, dy.Shape...)
	parFor(len(dy.Data), 1<<14, func(lo, hi int) {
		kern.GELUBackward(l.dx.Data[lo:hi], dy.Data[lo:hi], l.x.Data[lo:hi], l.cdf[lo:hi])
	})
	if l.bf16 {
		lmRound(l.dx.Data)
	}
	return l.dx
}

// Params returns nil: GELU has no parameters.
func (l *GELU) Params() []*Param { return nil }
