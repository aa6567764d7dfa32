package nn

import "math"

// GELU is the exact Gaussian error linear unit y = x Phi(x) =
// x (1 + erf(x/sqrt 2)) / 2 (PyTorch nn.GELU() default, as in nanoGPT).
// Forward keeps Phi(x) for Backward. With bf16 on, y and dL/dx are rounded
// to bf16.
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
		y, cdf := l.out.Data[lo:hi], l.cdf[lo:hi]
		for i, v := range x.Data[lo:hi] {
			c := 0.5 * (1 + math.Erf(float64(v)*(math.Sqrt2/2)))
			cdf[i] = float32(c)
			y[i] = float32(float64(v) * c)
		}
	})
	if l.bf16 {
		lmRound(l.out.Data)
	}
	return l.out
}

// Backward returns dx = dy (Phi(x) + x phi(x)).
func (l *GELU) Backward(dy *Tensor) *Tensor {
	l.dx = reuse(l.dx, dy.Shape...)
	const invSqrt2Pi = 0.3989422804014327
	parFor(len(dy.Data), 1<<14, func(lo, hi int) {
		dx, cdf := l.dx.Data[lo:hi], l.cdf[lo:hi]
		for i, v := range l.x.Data[lo:hi] {
			x := float64(v)
			pdf := invSqrt2Pi * math.Exp(-0.5*x*x)
			dx[i] = dy.Data[lo+i] * float32(float64(cdf[i])+x*pdf)
		}
	})
	if l.bf16 {
		lmRound(l.dx.Data)
	}
	return l.dx
}

// Params returns nil: GELU has no parameters.
func (l *GELU) Params() []*Param { return nil }
