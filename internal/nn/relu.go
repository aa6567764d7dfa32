package nn

import "wdlab/internal/kern"

// ReLU is max(x, 0) elementwise (NaN propagates, as in PyTorch).
type ReLU struct{ out, dx *Tensor }

// Forward computes max(x, 0).
func (l *ReLU) Forward(x *Tensor, _ Mode) *Tensor {
	l.out = reuse(l.out, x.Shape...)
	xd, od := x.Data, l.out.Data
	parFor(len(xd), 1<<16, func(lo, hi int) { kern.ReLU(od[lo:hi], xd[lo:hi]) })
	return l.out
}

// Backward passes dy where the output was positive.
func (l *ReLU) Backward(dy *Tensor) *Tensor {
	l.dx = reuse(l.dx, dy.Shape...)
	dd, od, xd := dy.Data, l.out.Data, l.dx.Data
	parFor(len(dd), 1<<16, func(lo, hi int) { kern.ReLUGrad(xd[lo:hi], dd[lo:hi], od[lo:hi]) })
	return l.dx
}

// Params returns nothing: ReLU has no parameters.
func (l *ReLU) Params() []*Param { return nil }
