package nn

import "wdlab/internal/kern"

// R-operators of the vision layers. For a layer y = f(x, p) with input
// tangent rx = R{x} and parameter direction v, R{y} = J_x rx + J_p v; the
// backward pass of dL/dy and R{dL/dy} gives dL/dx, R{dL/dx} and adds
// R{dL/dp} (a row block of H v) to p.G. Where R{dL/dx} and R{dL/dp} have
// the form of an ordinary backward pass of R{dL/dy}, the layer's own
// Backward computes them; the remaining terms are added here.

// rForward is R{x W + b} = rx W + x V + v_b.
func (l *Linear) rForward(rx *Tensor, t *tangent) *Tensor {
	n := len(rx.Data) / l.In
	t.rin[l] = rx
	ry := t.buf(l, 0, n, l.Out)
	kern.Gemm(false, false, n, l.Out, l.In, 1, rx.Data, l.In, l.W.W, l.Out, 0, ry.Data, l.Out)
	if v := t.dir(l.W); v != nil {
		kern.Gemm(false, false, n, l.Out, l.In, 1, l.x.Data, l.In, v, l.Out, 1, ry.Data, l.Out)
	}
	if vb := t.dir(l.B); vb != nil {
		addRowBias(ry.Data, vb)
	}
	return ry
}

// rBackward: R{dx} = R{dy} W^T + dy V^T, R{dW} = x^T R{dy} + R{x}^T dy,
// R{db} = sum R{dy}.
func (l *Linear) rBackward(dy, rdy *Tensor, t *tangent) (*Tensor, *Tensor) {
	n := len(l.x.Data) / l.In
	rdx := l.Backward(rdy) // x^T R{dy}, sum R{dy} and R{dy} W^T
	kern.Gemm(true, false, l.In, l.Out, n, 1, t.rin[l].Data, l.In, dy.Data, l.Out, 1, l.W.G, l.Out)
	if v := t.dir(l.W); v != nil {
		kern.Gemm(false, true, n, l.In, l.Out, 1, dy.Data, l.Out, v, l.Out, 1, rdx.Data, l.In)
	}
	dx := t.buf(l, 1, l.x.Shape...)
	kern.Gemm(false, true, n, l.In, l.Out, 1, dy.Data, l.Out, l.W.W, l.Out, 0, dx.Data, l.In)
	return dx, rdx
}

// rForward is R{conv(x, W) + b} = conv(rx, W) + conv(x, V) + v_b.
func (c *Conv2D) rForward(rx *Tensor, t *tangent) *Tensor {
	n := rx.Shape[0]
	m, kk := n*c.oh*c.ow, c.K*c.K*c.Cin
	cols, rcols := c.x.Data, rx.Data
	if !c.direct() {
		cols = c.cols.Data
		rc := t.buf(c, 0, m, kk)
		kern.Im2col(rx.Data, n, c.h, c.w, c.Cin, c.K, c.K, c.Stride, c.Pad, rc.Data)
		rcols = rc.Data
	}
	t.rin[c] = &Tensor{Shape: []int{m, kk}, Data: rcols}
	ry := t.buf(c, 1, n, c.oh, c.ow, c.Cout)
	kern.Gemm(false, false, m, c.Cout, kk, 1, rcols, kk, c.W.W, c.Cout, 0, ry.Data, c.Cout)
	if v := t.dir(c.W); v != nil {
		kern.Gemm(false, false, m, c.Cout, kk, 1, cols, kk, v, c.Cout, 1, ry.Data, c.Cout)
	}
	if vb := t.dir(c.B); vb != nil {
		addRowBias(ry.Data, vb)
	}
	return ry
}

// rBackward is Linear's on the im2col matrices, with col2im for dx and R{dx}.
func (c *Conv2D) rBackward(dy, rdy *Tensor, t *tangent) (*Tensor, *Tensor) {
	n := c.x.Shape[0]
	m, kk := n*c.oh*c.ow, c.K*c.K*c.Cin
	rdx := c.Backward(rdy) // cols^T R{dy}, sum R{dy} and col2im(R{dy} W^T)
	kern.Gemm(true, false, kk, c.Cout, m, 1, t.rin[c].Data, kk, dy.Data, c.Cout, 1, c.W.G, c.Cout)
	dx := t.buf(c, 2, n, c.h, c.w, c.Cin)
	if c.direct() {
		kern.Gemm(false, true, m, kk, c.Cout, 1, dy.Data, c.Cout, c.W.W, c.Cout, 0, dx.Data, kk)
		if v := t.dir(c.W); v != nil {
			kern.Gemm(false, true, m, kk, c.Cout, 1, dy.Data, c.Cout, v, c.Cout, 1, rdx.Data, kk)
		}
		return dx, rdx
	}
	dcols := t.buf(c, 3, m, kk)
	kern.Gemm(false, true, m, kk, c.Cout, 1, dy.Data, c.Cout, c.W.W, c.Cout, 0, dcols.Data, kk)
	clear(dx.Data)
	kern.Col2im(dcols.Data, n, c.h, c.w, c.Cin, c.K, c.K, c.Stride, c.Pad, dx.Data)
	if v := t.dir(c.W); v != nil {
		kern.Gemm(false, true, m, kk, c.Cout, 1, dy.Data, c.Cout, v, c.Cout, 0, dcols.Data, kk)
		kern.Col2im(dcols.Data, n, c.h, c.w, c.Cin, c.K, c.K, c.Stride, c.Pad, rdx.Data)
	}
	return dx, rdx
}

// rForward of Eval-mode BN, y = gamma xhat + beta with xhat = (x - mean) *
// invStd from the running statistics: R{y} = gamma invStd rx + v_gamma
// xhat + v_beta. It panics after a Train-mode forward (the R-operator
// would have to go through the batch statistics).
func (b *BatchNorm) rForward(rx *Tensor, t *tangent) *Tensor {
	if b.mode != Eval {
		panic("nn: BatchNorm R-operator after a non-Eval forward")
	}
	c := b.C
	t.rin[b] = rx
	ry := t.buf(b, 0, rx.Shape...)
	vg, vb := t.dir(b.Gamma), t.dir(b.Beta)
	for r := 0; r < len(rx.Data)/c; r++ {
		o, x, h := ry.Data[r*c:(r+1)*c], rx.Data[r*c:(r+1)*c], b.xhat.Data[r*c:(r+1)*c]
		for j := range o {
			o[j] = b.scale(j) * x[j]
			if vg != nil {
				o[j] += vg[j] * h[j]
			}
			if vb != nil {
				o[j] += vb[j]
			}
		}
	}
	return ry
}

// rBackward of Eval-mode BN: R{dx} = gamma invStd R{dy} + v_gamma invStd
// dy, R{dgamma} = sum R{dy} xhat + sum dy invStd R{x}, R{dbeta} = sum R{dy}.
func (b *BatchNorm) rBackward(dy, rdy *Tensor, t *tangent) (*Tensor, *Tensor) {
	c := b.C
	rdx := b.Backward(rdy) // sum R{dy} xhat, sum R{dy} and gamma invStd R{dy}
	if b.Gamma != nil {
		sumDy, sumDyRx := make([]float64, c), make([]float64, c)
		channelDots(dy.Data, t.rin[b].Data, c, sumDy, sumDyRx)
		for j := range c {
			b.Gamma.G[j] += float32(sumDyRx[j] * float64(b.invStd[j]))
		}
	}
	vg := t.dir(b.Gamma)
	dx := t.buf(b, 1, dy.Shape...)
	for r := 0; r < len(dy.Data)/c; r++ {
		d, o, ro := dy.Data[r*c:(r+1)*c], dx.Data[r*c:(r+1)*c], rdx.Data[r*c:(r+1)*c]
		for j := range o {
			o[j] = b.scale(j) * d[j]
			if vg != nil {
				ro[j] += vg[j] * b.invStd[j] * d[j]
			}
		}
	}
	return dx, rdx
}

// scale is gamma_j * invStd_j of the last forward (invStd_j without gamma).
func (b *BatchNorm) scale(j int) float32 {
	if b.Gamma == nil {
		return b.invStd[j]
	}
	return b.Gamma.W[j] * b.invStd[j]
}

// rForward passes rx where the forward output was positive (the mask of w).
func (l *ReLU) rForward(rx *Tensor, t *tangent) *Tensor {
	ry := t.buf(l, 0, rx.Shape...)
	kern.ReLUGrad(ry.Data, rx.Data, l.out.Data)
	return ry
}

// rBackward masks dy and R{dy} alike.
func (l *ReLU) rBackward(dy, rdy *Tensor, t *tangent) (*Tensor, *Tensor) {
	rdx := t.buf(l, 1, rdy.Shape...)
	kern.ReLUGrad(rdx.Data, rdy.Data, l.out.Data)
	return l.Backward(dy), rdx
}

// rForward averages rx over each window, or takes it at the forward's argmax.
func (p *Pool2D) rForward(rx *Tensor, t *tangent) *Tensor {
	tw := t.twin(p, func() Layer { return &Pool2D{K: p.K} }).(*Pool2D)
	if !p.Max {
		return tw.Forward(rx, Eval)
	}
	tw.shape, tw.arg, tw.Max = p.shape, p.arg, true
	tw.out = reuse(tw.out, p.out.Shape...)
	for i, a := range p.arg {
		tw.out.Data[i] = rx.Data[a]
	}
	return tw.out
}

// rBackward routes dy and R{dy} alike.
func (p *Pool2D) rBackward(dy, rdy *Tensor, t *tangent) (*Tensor, *Tensor) {
	return p.Backward(dy), t.twins[p].Backward(rdy)
}

// rForward averages rx over the spatial positions.
func (p *GlobalAvgPool) rForward(rx *Tensor, t *tangent) *Tensor {
	return t.twin(p, func() Layer { return &GlobalAvgPool{} }).Forward(rx, Eval)
}

// rBackward spreads dy and R{dy} alike.
func (p *GlobalAvgPool) rBackward(dy, rdy *Tensor, t *tangent) (*Tensor, *Tensor) {
	return p.Backward(dy), t.twins[p].Backward(rdy)
}

// rForward reshapes rx.
func (f *Flatten) rForward(rx *Tensor, _ *tangent) *Tensor {
	return &Tensor{Shape: []int{rx.Shape[0], len(rx.Data) / rx.Shape[0]}, Data: rx.Data}
}

// rBackward reshapes dy and R{dy}.
func (f *Flatten) rBackward(dy, rdy *Tensor, _ *tangent) (*Tensor, *Tensor) {
	return f.Backward(dy), &Tensor{Shape: f.shape, Data: rdy.Data}
}

// twin returns the parameter-free copy of layer l that applies l's linear
// map to tangents, creating it with mk on first use.
func (t *tangent) twin(l Layer, mk func() Layer) Layer {
	tw, ok := t.twins[l]
	if !ok {
		tw = mk()
		t.twins[l] = tw
	}
	return tw
}
