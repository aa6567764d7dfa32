//go:build cgo && linux && amd64 && dnnl

package dnnl

import (
	"fmt"
	"sort"
	"unsafe"

	"wdlab/internal/nn"
)

// tensor is an activation of the trunk in a primitive-chosen layout, with
// its gradient in the same layout.
type tensor struct {
	mem, grad *memory
	dims      []int // N, C, H, W
	input     bool  // the net input: no gradient is needed
}

// op is one compiled layer: primitive calls for the forward and the
// backward pass, plus Go work around them (parameter upload, gradient and
// statistics download).
type op struct {
	fwd, bwd func() error
}

// net is the trunk compiled for one batch size.
type net struct {
	c        *ctx
	in       *tensor // NHWC input in plain layout
	out      *tensor // the trunk's output
	outUser  *memory // out reordered to NHWC (plain), the native tail's input
	toUser   call    // out -> outUser
	fromUser call    // d(outUser) -> out.grad
	dOutUser *memory
	ops      []op
	mode     nn.Mode // of the forward pass running (batch norm reads it)
	mems     []*memory
	prims    []*prim
	kernels  map[string]int
}

// builder compiles layers into a net.
type builder struct{ *net }

// alloc creates memory owned by the net.
func (b builder) alloc(m md) (*memory, error) {
	mem, err := b.c.alloc(m)
	if err == nil {
		b.mems = append(b.mems, mem)
	}
	return mem, err
}

// tensor allocates an activation and its gradient in layout m.
func (b builder) tensor(m md, d ...int) (*tensor, error) {
	t := &tensor{dims: d}
	var err error
	if t.mem, err = b.alloc(m); err != nil {
		return nil, err
	}
	if t.grad, err = b.alloc(m); err != nil {
		return nil, err
	}
	return t, nil
}

// prim creates the primitive of pd, records its kernel and keeps it.
func (b builder) prim(pd pdesc, kind string) (*prim, error) {
	p, err := b.c.create(pd, kind)
	if err != nil {
		return nil, err
	}
	b.prims = append(b.prims, p)
	b.kernels[kind+": "+p.impl+" -> "+outLayout(pd)]++
	return p, nil
}

// primitive creates a primitive descriptor for an op descriptor (a Go
// pointer to a C descriptor struct; hint: the forward descriptor of a
// backward primitive) and its primitive. The caller frees the descriptor.
func (b builder) primitive(op unsafe.Pointer, hint pdesc, kind string) (pdesc, *prim, error) {
	pd, err := b.c.newPD(op, nil, hint, kind)
	if err != nil {
		return nil, nil, err
	}
	p, err := b.prim(pd, kind)
	if err != nil {
		freePD(pd)
		return nil, nil, err
	}
	return pd, p, nil
}

// reorder creates a reorder between two layouts (a copy when equal).
func (b builder) reorder(src, dst md) (*prim, error) {
	p, err := b.c.reorder(src, dst)
	if err != nil {
		return nil, err
	}
	b.prims = append(b.prims, p)
	b.kernels["reorder: "+p.impl]++
	return p, nil
}

// compile builds the trunk layers for batch size n and input [h, w, c].
func compile(c *ctx, trunk []nn.Layer, n int, in []int) (*net, error) {
	nt := &net{c: c, kernels: map[string]int{}}
	b := builder{nt}
	h, w, ch := in[0], in[1], in[2]
	var err error
	// One channel: NCHW is the same memory as NHWC, and oneDNN's kernels
	// for it are faster.
	inTag := tagNHWC
	if ch == 1 {
		inTag = tagNCHW
	}
	if nt.in, err = b.tensor(newMD(inTag, n, ch, h, w), n, ch, h, w); err != nil {
		nt.free()
		return nil, err
	}
	nt.in.input = true
	out, ops, err := b.seq(trunk, nt.in)
	if err == nil {
		err = b.head(out)
	}
	if err != nil {
		nt.free()
		return nil, err
	}
	nt.ops = ops
	return nt, nil
}

// head reorders the trunk output to the native NHWC layout and back.
func (b builder) head(out *tensor) error {
	b.out = out
	d := out.dims
	user := newMD(tagNHWC, d...)
	var err error
	if b.outUser, err = b.alloc(user); err != nil {
		return err
	}
	if b.dOutUser, err = b.alloc(user); err != nil {
		return err
	}
	to, err := b.reorder(out.mem.desc, user)
	if err != nil {
		return err
	}
	from, err := b.reorder(user, out.mem.desc)
	if err != nil {
		return err
	}
	b.toUser = newCall(to, arg{argFrom, out.mem}, arg{argTo, b.outUser})
	b.fromUser = newCall(from, arg{argFrom, b.dOutUser}, arg{argTo, out.grad})
	return nil
}

// seq compiles layers in order, fusing each BN with a following ReLU.
func (b builder) seq(layers []nn.Layer, x *tensor) (*tensor, []op, error) {
	var all []op
	for i := 0; i < len(layers); i++ {
		var ops []op
		var err error
		switch l := layers[i].(type) {
		case *nn.Conv2D:
			x, ops, err = b.conv(l, x, nil, false)
		case *nn.BatchNorm:
			_, relu := next(layers, i).(*nn.ReLU)
			if relu {
				i++
			}
			x, ops, err = b.bn(l, x, relu)
		case *nn.ReLU:
			x, ops, err = b.relu(x)
		case *nn.Pool2D:
			x, ops, err = b.pool(x, l.K, l.Max)
		case *nn.GlobalAvgPool:
			x, ops, err = b.gap(x)
		case *nn.Residual:
			x, ops, err = b.residual(l, x)
		default:
			err = fmt.Errorf("layer %T is not in the oneDNN trunk", l)
		}
		if err != nil {
			return nil, nil, err
		}
		all = append(all, ops...)
	}
	return x, all, nil
}

// next returns layers[i+1] or nil.
func next(layers []nn.Layer, i int) nn.Layer {
	if i+1 < len(layers) {
		return layers[i+1]
	}
	return nil
}

// forward uploads x (NHWC, n examples), runs the trunk in mode and
// returns its NHWC output (C memory, valid until the next call).
func (nt *net) forward(x []float32, mode nn.Mode) ([]float32, error) {
	nt.mode = mode
	copy(nt.in.mem.floats(), x)
	for _, o := range nt.ops {
		if o.fwd == nil {
			continue
		}
		if err := o.fwd(); err != nil {
			return nil, err
		}
	}
	if err := nt.c.run(nt.toUser); err != nil {
		return nil, err
	}
	return nt.outUser.floats(), nt.c.wait()
}

// backward takes dL/d(output) in NHWC and accumulates parameter gradients.
func (nt *net) backward(dy []float32) error {
	copy(nt.dOutUser.floats(), dy)
	if err := nt.c.run(nt.fromUser); err != nil {
		return err
	}
	for i := len(nt.ops) - 1; i >= 0; i-- {
		if nt.ops[i].bwd == nil {
			continue
		}
		if err := nt.ops[i].bwd(); err != nil {
			return err
		}
	}
	return nt.c.wait()
}

// kernelList returns "kind: implementation xN" lines, sorted.
func (nt *net) kernelList() []string {
	var out []string
	for k, v := range nt.kernels {
		out = append(out, fmt.Sprintf("%s x%d", k, v))
	}
	sort.Strings(out)
	return out
}

func (nt *net) free() {
	for _, p := range nt.prims {
		p.free()
	}
	for _, m := range nt.mems {
		m.free()
	}
	nt.prims, nt.mems = nil, nil
}

// runAll executes calls in order.
func (c *ctx) runAll(calls ...call) error {
	for _, k := range calls {
		if err := c.run(k); err != nil {
			return err
		}
	}
	return nil
}
