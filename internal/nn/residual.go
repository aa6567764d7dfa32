package nn

// Residual computes a = Pre(x); out = Body(a) + (Shortcut(a) if present, else x).
// With Pre = BN+ReLU this is the pre-activation ResNet block, whose
// projection shortcut reads the pre-activated a.
type Residual struct {
	Pre, Body, Shortcut *Sequential // Shortcut nil = identity on x
	out, dx             *Tensor
}

// Forward computes the block output.
func (r *Residual) Forward(x *Tensor, mode Mode) *Tensor {
	a := r.Pre.Forward(x, mode)
	skip := x
	if r.Shortcut != nil {
		skip = r.Shortcut.Forward(a, mode)
	}
	y := r.Body.Forward(a, mode)
	r.out = reuse(r.out, y.Shape...)
	addInto(r.out.Data, y.Data, skip.Data)
	return r.out
}

// Backward sends dy through both branches and sums the input gradients.
func (r *Residual) Backward(dy *Tensor) *Tensor {
	da := r.Body.Backward(dy)
	if r.Shortcut != nil {
		ds := r.Shortcut.Backward(dy)
		sum := reuse(r.dx, da.Shape...)
		addInto(sum.Data, da.Data, ds.Data)
		r.dx = sum
		return r.Pre.Backward(sum)
	}
	dx := r.Pre.Backward(da)
	r.dx = reuse(r.dx, dx.Shape...)
	addInto(r.dx.Data, dx.Data, dy.Data)
	return r.dx
}

// Params returns Pre, Body and Shortcut parameters in that order.
func (r *Residual) Params() []*Param {
	ps := append(r.Pre.Params(), r.Body.Params()...)
	if r.Shortcut != nil {
		ps = append(ps, r.Shortcut.Params()...)
	}
	return ps
}

// addInto sets dst = a + b elementwise.
func addInto(dst, a, b []float32) {
	parFor(len(dst), 1<<16, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			dst[i] = a[i] + b[i]
		}
	})
}
