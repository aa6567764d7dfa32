package nn

import "wdlab/internal/kern"

// Linear is y = x W + b with W of shape [in, out]. Inputs with more than two
// dimensions are treated as [N, prod(rest)].
type Linear struct {
	W, B    *Param
	In, Out int
	x       *Tensor
	out, dx *Tensor
}

// NewLinear allocates a dense layer's parameters (uninitialised).
func NewLinear(name string, in, out int, bias bool) *Linear {
	l := &Linear{In: in, Out: out, W: newParam(name+".weight", in, out)}
	if bias {
		l.B = newParam(name+".bias", out)
	}
	return l
}

// Forward computes x W + b.
func (l *Linear) Forward(x *Tensor, _ Mode) *Tensor {
	n := len(x.Data) / l.In
	l.x = x
	l.out = reuse(l.out, n, l.Out)
	kern.Gemm(false, false, n, l.Out, l.In, 1, x.Data, l.In, l.W.W, l.Out, 0, l.out.Data, l.Out)
	if l.B != nil {
		addRowBias(l.out.Data, l.B.W)
	}
	return l.out
}

// Backward accumulates dW, db and returns dx in the input's shape.
func (l *Linear) Backward(dy *Tensor) *Tensor {
	n := len(l.x.Data) / l.In
	kern.Gemm(true, false, l.In, l.Out, n, 1, l.x.Data, l.In, dy.Data, l.Out, 1, l.W.G, l.Out)
	if l.B != nil {
		sumRowsInto(l.B.G, dy.Data)
	}
	l.dx = reuse(l.dx, l.x.Shape...)
	kern.Gemm(false, true, n, l.In, l.Out, 1, dy.Data, l.Out, l.W.W, l.Out, 0, l.dx.Data, l.In)
	return l.dx
}

// Params returns the weight and, if present, the bias.
func (l *Linear) Params() []*Param {
	if l.B != nil {
		return []*Param{l.W, l.B}
	}
	return []*Param{l.W}
}
