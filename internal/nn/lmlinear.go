package nn

import "wdlab/internal/kern"

// lmLinear is the bias-free dense layer of the GPT blocks: y = x W with W of
// shape [in, out], applied to the rows of [..., in] inputs. With bf16 on, x
// and W enter the matmul rounded to bf16, and y, dL/dx and the weight
// gradient are rounded to bf16 (fp32 accumulation, fp32 master weights).
type lmLinear struct {
	W       *Param
	in, out int
	bf16    bool
	xs      []float32 // the forward input as used by the matmul
	ws      []float32 // the weights as used by the matmul
	xr, wr  []float32 // bf16 copies
	dyr, gw []float32 // bf16 scratch for backward
	y, dx   *Tensor
	xShape  []int
}

func newLMLinear(weight string, in, out int) *lmLinear {
	return &lmLinear{W: newParam(weight, in, out), in: in, out: out}
}

// Forward computes x W.
func (l *lmLinear) Forward(x *Tensor, _ Mode) *Tensor {
	n := len(x.Data) / l.in
	l.xShape = x.Shape
	l.xs, l.ws = x.Data, l.W.W
	if l.bf16 {
		l.xr = lmRoundCopy(l.xr, x.Data)
		l.wr = lmRoundCopy(l.wr, l.W.W)
		l.xs, l.ws = l.xr, l.wr
	}
	shape := append(append([]int(nil), x.Shape[:len(x.Shape)-1]...), l.out)
	l.y = reuse(l.y, shape...)
	kern.Gemm(false, false, n, l.out, l.in, 1, l.xs, l.in, l.ws, l.out, 0, l.y.Data, l.out)
	if l.bf16 {
		lmRound(l.y.Data)
	}
	return l.y
}

// Backward accumulates dW += x^T dy and returns dx = dy W^T.
func (l *lmLinear) Backward(dy *Tensor) *Tensor {
	n := len(l.xs) / l.in
	dys := dy.Data
	if l.bf16 {
		l.dyr = lmRoundCopy(l.dyr, dy.Data)
		dys = l.dyr
		if len(l.gw) != len(l.W.G) {
			l.gw = make([]float32, len(l.W.G))
		}
		kern.Gemm(true, false, l.in, l.out, n, 1, l.xs, l.in, dys, l.out, 0, l.gw, l.out)
		lmRound(l.gw)
		lmAddTo(l.W.G, l.gw)
	} else {
		kern.Gemm(true, false, l.in, l.out, n, 1, l.xs, l.in, dys, l.out, 1, l.W.G, l.out)
	}
	l.dx = reuse(l.dx, l.xShape...)
	kern.Gemm(false, true, n, l.in, l.out, 1, dys, l.out, l.ws, l.out, 0, l.dx.Data, l.in)
	if l.bf16 {
		lmRound(l.dx.Data)
	}
	return l.dx
}

// Params returns the weight.
func (l *lmLinear) Params() []*Param { return []*Param{l.W} }

// lmAddTo sets dst += src elementwise.
func lmAddTo(dst, src []float32) {
	parFor(len(dst), 1<<16, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			dst[i] += src[i]
		}
	})
}
