//go:build cgo && linux && amd64 && dnnl

package dnnl

import (
	"fmt"

	"wdlab/internal/nn"
)

// residual compiles out = Body(Pre(x)) + skip, skip = Shortcut(Pre(x)) or
// x. The add is fused into Body's last convolution as a sum post-op: the
// projection shortcut writes the output buffer first (in the layout of
// Body's output), an identity skip is copied there. Both branches' input
// gradients are summed by a oneDNN binary add.
func (b builder) residual(r *nn.Residual, x *tensor) (*tensor, []op, error) {
	body := r.Body.Layers
	last, ok := body[len(body)-1].(*nn.Conv2D)
	if !ok {
		return nil, nil, fmt.Errorf("residual body ends in %T, not a convolution", body[len(body)-1])
	}
	a, pre, err := b.seq(r.Pre.Layers, x)
	if err != nil {
		return nil, nil, err
	}
	y, mid, err := b.seq(body[:len(body)-1], a)
	if err != nil {
		return nil, nil, err
	}
	if r.Shortcut == nil {
		return b.identityResidual(x, pre, y, mid, last)
	}
	// The shortcut reads a too, through its own gradient buffer.
	a2 := &tensor{mem: a.mem, dims: a.dims}
	if a2.grad, err = b.alloc(a.grad.desc); err != nil {
		return nil, nil, err
	}
	sc := r.Shortcut.Layers
	scLast, ok := sc[len(sc)-1].(*nn.Conv2D)
	if !ok {
		return nil, nil, fmt.Errorf("residual shortcut ends in %T, not a convolution", sc[len(sc)-1])
	}
	s, scOps, err := b.seq(sc[:len(sc)-1], a2)
	if err != nil {
		return nil, nil, err
	}
	out, scConv, err := b.conv(scLast, s, nil, false)
	if err != nil {
		return nil, nil, err
	}
	_, lastOps, err := b.conv(last, y, out, true)
	if err != nil {
		return nil, nil, err
	}
	join, err := b.accumulate(a.grad, a2.grad)
	if err != nil {
		return nil, nil, err
	}
	ops := append(pre, op{bwd: join})
	ops = append(append(ops, scOps...), scConv...)
	ops = append(append(ops, mid...), lastOps...)
	return out, ops, nil
}

// identityResidual finishes a block whose skip is x itself.
func (b builder) identityResidual(x *tensor, pre []op, y *tensor, mid []op, last *nn.Conv2D) (*tensor, []op, error) {
	out, lastOps, err := b.conv(last, y, nil, true)
	if err != nil {
		return nil, nil, err
	}
	if !sameMD(&out.mem.desc, &x.mem.desc) {
		return nil, nil, fmt.Errorf("residual output layout differs from its input's")
	}
	cp, err := b.reorder(x.mem.desc, out.mem.desc)
	if err != nil {
		return nil, nil, err
	}
	copyCall := newCall(cp, arg{argFrom, x.mem}, arg{argTo, out.mem})
	join, err := b.accumulate(x.grad, out.grad)
	if err != nil {
		return nil, nil, err
	}
	// Backward runs in reverse: Body, then Pre (writing x.grad), then the
	// skip's share is added.
	ops := append([]op{{bwd: join}}, pre...)
	ops = append(ops, mid...)
	// The copy must precede the last convolution's accumulation (and
	// follow any relayout of y that op list holds).
	ops = append(ops, op{fwd: func() error { return b.c.run(copyCall) }})
	return out, append(ops, lastOps...), nil
}

// accumulate returns a function adding src into dst (same layout).
func (b builder) accumulate(dst, src *memory) (func() error, error) {
	p, err := b.c.add(dst.desc)
	if err != nil {
		return nil, err
	}
	b.prims = append(b.prims, p)
	b.kernels["add: "+p.impl]++
	k := newCall(p, arg{argSrc, dst}, arg{argSrc1, src}, arg{argDst, dst})
	return func() error { return b.c.run(k) }, nil
}
