package nn

import "math"

// GELU is the exact Gaussian error linear unit y = x Phi(x) =
// x (1 + erf(x/sqrt 2)) / 2 (PyTorch nn.GELU() default, as in nanoGPT).
// With bf16 on, y and dL/dx are rounded to bf16.
type GELU struct {
	bf16    bool
	x       *Tensor
	out, dx *Tensor
}

// Forward applies GELU elementwise.
func (l *GELU) Forward(x *Tensor, _ Mode) *Tensor {
	l.x = x
	l.out = reuse(l.out, x.Shape...)
	parFor(len(x.Data), 1<<14, func(lo, hi int) {
		y := l.out.Data[lo:hi]
		for i, v := range x.Data[lo:hi] {
			y[i] = float32(0.5 * float64(v) * (1 + math.Erf(float64(v)*math.Sqrt2/2)))
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
		dx := l.dx.Data[lo:hi]
		for i, v := range l.x.Data[lo:hi] {
			x := float64(v)
			cdf := 0.5 * (1 + math.Erf(x*math.Sqrt2/2))
			pdf := invSqrt2Pi * math.Exp(-0.5*x*x)
			dx[i] = dy.Data[lo+i] * float32(cdf+x*pdf)
		}
	})
	if l.bf16 {
		lmRound(l.dx.Data)
	}
	return l.dx
}

// Params returns nil: GELU has no parameters.
func (l *GELU) Params() []*Param { return nil }
