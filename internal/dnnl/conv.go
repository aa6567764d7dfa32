//go:build cgo && linux && amd64 && dnnl

package dnnl

/*
#include <oneapi/dnnl/dnnl.h>
*/
import "C"

import (
	"fmt"
	"unsafe"

	"wdlab/internal/nn"
)

// convGeom is a convolution's shape: input x, output [n, cout, oh, ow].
type convGeom struct {
	l      *nn.Conv2D
	n      int
	oh, ow int
}

// fwdDesc describes the forward convolution from src to dst (any layouts
// allowed) with weights and bias in any layout.
func (g convGeom) fwdDesc(src, dst *md) C.dnnl_convolution_desc_t {
	l := g.l
	var cd C.dnnl_convolution_desc_t
	w := newMD(tagAny, l.Cout, l.Cin, l.K, l.K)
	var bias *md
	if l.B != nil {
		bm := newMD(tagAny, l.Cout)
		bias = &bm
	}
	st, pad := dims(l.Stride, l.Stride), dims(l.Pad, l.Pad)
	C.dnnl_convolution_forward_desc_init(&cd, C.dnnl_forward_training, C.dnnl_convolution_direct, src, &w, bias, dst, &st[0], &pad[0], &pad[0])
	return cd
}

// conv compiles l on x. With into != nil the output is written there (its
// layout imposed); with sum the convolution adds to what the output holds
// (the residual add as a sum post-op). A convolution from nChw8c to a
// multiple of 16 channels runs in nChw8c and its output is reordered to
// nChw16c: the nChw16c kernels would pad the 8 input channels to 16.
func (b builder) conv(l *nn.Conv2D, x *tensor, into *tensor, sum bool) (*tensor, []op, error) {
	in8 := newMD(tagNChw8c, x.dims...)
	if into != nil || blockedTag(l.Cout) != tagNChw16c || !sameMD(&x.mem.desc, &in8) {
		return b.convTo(l, x, into, sum, blockedTag(l.Cout))
	}
	y, ops, err := b.convTo(l, x, nil, false, tagNChw8c)
	if err != nil {
		return nil, nil, err
	}
	z, back, err := b.relayout(y, newMD(tagNChw16c, y.dims...))
	if err != nil {
		return nil, nil, err
	}
	return z, append(ops, back...), nil
}

// convTo compiles l on x like conv, its output in layout tag unless into
// is given.
func (b builder) convTo(l *nn.Conv2D, x *tensor, into *tensor, sum bool, tag C.dnnl_format_tag_t) (*tensor, []op, error) {
	g := convGeom{l: l, n: x.dims[0]}
	g.oh = (x.dims[2]+2*l.Pad-l.K)/l.Stride + 1
	g.ow = (x.dims[3]+2*l.Pad-l.K)/l.Stride + 1
	dst := newMD(tag, g.n, l.Cout, g.oh, g.ow)
	if into != nil {
		dst = into.mem.desc
	}
	attr, err := sumAttr(sum)
	if err != nil {
		return nil, nil, err
	}
	defer C.dnnl_primitive_attr_destroy(attr)
	// Keep the incoming layout when a JIT kernel takes it; otherwise let
	// the convolution choose its source layout and reorder into it.
	src := x.mem.desc
	cd := g.fwdDesc(&src, &dst)
	fpd, err := b.c.newPD(unsafe.Pointer(&cd), attr, nil, "conv fwd")
	if err == nil && !directJIT(fpd) {
		freePD(fpd)
		src = newMD(tagAny, x.dims...)
		cd = g.fwdDesc(&src, &dst)
		fpd, err = b.c.newPD(unsafe.Pointer(&cd), attr, nil, "conv fwd")
	}
	if err != nil {
		return nil, nil, err
	}
	defer freePD(fpd)
	var ops []op
	xs := x
	if src = queryMD(C.const_dnnl_primitive_desc_t(fpd), C.dnnl_query_src_md, 0); !sameMD(&src, &x.mem.desc) {
		if xs, ops, err = b.relayout(x, src); err != nil {
			return nil, nil, err
		}
	}
	y := into
	if y == nil {
		if y, err = b.tensor(queryMD(C.const_dnnl_primitive_desc_t(fpd), C.dnnl_query_dst_md, 0), g.n, l.Cout, g.oh, g.ow); err != nil {
			return nil, nil, err
		}
	}
	cv, err := b.convParts(g, fpd, xs, y)
	if err != nil {
		return nil, nil, err
	}
	return y, append(ops, cv), nil
}

// blockedTag is the activation layout for c channels: nChw16c when c is
// a multiple of 16, nChw8c when a multiple of 8 (padding 8 channels to 16
// quadruples a convolution's work), else the primitive's choice.
func blockedTag(c int) C.dnnl_format_tag_t {
	switch {
	case c%16 == 0:
		return tagNChw16c
	case c%8 == 0:
		return tagNChw8c
	}
	return tagAny
}

// sumAttr returns attributes with a sum post-op when sum is set.
func sumAttr(sum bool) (C.dnnl_primitive_attr_t, error) {
	var attr C.dnnl_primitive_attr_t
	if err := check(C.dnnl_primitive_attr_create(&attr), "attr"); err != nil {
		return nil, err
	}
	if !sum {
		return attr, nil
	}
	var po C.dnnl_post_ops_t
	C.dnnl_post_ops_create(&po)
	defer C.dnnl_post_ops_destroy(po)
	C.dnnl_post_ops_append_sum(po, 1)
	return attr, check(C.dnnl_primitive_attr_set_post_ops(attr, C.const_dnnl_post_ops_t(po)), "sum post-op")
}

// convParts builds the forward, backward-data and backward-weights
// primitives of one convolution from x (in the layout fpd wants) to y.
func (b builder) convParts(g convGeom, fpd pdesc, x, y *tensor) (op, error) {
	l := g.l
	cfpd := C.const_dnnl_primitive_desc_t(fpd)
	fwd, err := b.prim(fpd, "conv fwd")
	if err != nil {
		return op{}, err
	}
	// Weights: the native [kh, kw, cin, cout] is oneDNN's hwio.
	userW := newMD(tagHWIO, l.Cout, l.Cin, l.K, l.K)
	wUser, err := b.alloc(userW)
	if err != nil {
		return op{}, err
	}
	wf, up, err := b.converted(wUser, queryMD(cfpd, C.dnnl_query_weights_md, 0))
	if err != nil {
		return op{}, err
	}
	var bias *memory
	if l.B != nil {
		if bias, err = b.alloc(queryMD(cfpd, C.dnnl_query_weights_md, 1)); err != nil {
			return op{}, err
		}
	}
	fcall := newCall(fwd, arg{argSrc, x.mem}, arg{argW, wf}, arg{argBias, bias}, arg{argDst, y.mem})

	// Backward weights.
	wAny := newMD(tagAny, l.Cout, l.Cin, l.K, l.K)
	var bAny *md
	if l.B != nil {
		m := newMD(tagA, l.Cout)
		bAny = &m
	}
	st, pad := dims(l.Stride, l.Stride), dims(l.Pad, l.Pad)
	wpd, err := b.flexPD(func(src, dst *md) (cd C.dnnl_convolution_desc_t) {
		C.dnnl_convolution_backward_weights_desc_init(&cd, C.dnnl_convolution_direct, src, &wAny, bAny, dst, &st[0], &pad[0], &pad[0])
		return cd
	}, x, y, fpd, "conv bwd weights")
	if err != nil {
		return op{}, err
	}
	defer freePD(wpd)
	cwpd := C.const_dnnl_primitive_desc_t(wpd)
	bw, err := b.prim(wpd, "conv bwd weights")
	if err != nil {
		return op{}, err
	}
	dw, err := b.alloc(queryMD(cwpd, C.dnnl_query_diff_weights_md, 0))
	if err != nil {
		return op{}, err
	}
	var db *memory
	if l.B != nil {
		if db, err = b.alloc(queryMD(cwpd, C.dnnl_query_diff_weights_md, 1)); err != nil {
			return op{}, err
		}
	}
	gUser, err := b.alloc(userW)
	if err != nil {
		return op{}, err
	}
	down, err := b.reorder(dw.desc, userW)
	if err != nil {
		return op{}, err
	}
	var wcalls []call
	xw, err := b.view(x.mem, queryMD(cwpd, C.dnnl_query_src_md, 0), &wcalls)
	if err != nil {
		return op{}, err
	}
	dyw, err := b.view(y.grad, queryMD(cwpd, C.dnnl_query_diff_dst_md, 0), &wcalls)
	if err != nil {
		return op{}, err
	}
	wcalls = append(wcalls,
		newCall(bw, arg{argSrc, xw}, arg{argDiffDst, dyw}, arg{argDiffW, dw}, arg{argDiffBias, db}),
		newCall(down, arg{argFrom, dw}, arg{argTo, gUser}))

	// Backward data (not for the net input).
	var dcalls []call
	if !x.input {
		dpd, err := b.flexPD(func(src, dst *md) (cd C.dnnl_convolution_desc_t) {
			C.dnnl_convolution_backward_data_desc_init(&cd, C.dnnl_convolution_direct, src, &wAny, dst, &st[0], &pad[0], &pad[0])
			return cd
		}, x, y, fpd, "conv bwd data")
		if err != nil {
			return op{}, err
		}
		defer freePD(dpd)
		cdpd := C.const_dnnl_primitive_desc_t(dpd)
		bd, err := b.prim(dpd, "conv bwd data")
		if err != nil {
			return op{}, err
		}
		wb := wf
		if want := queryMD(cdpd, C.dnnl_query_weights_md, 0); !sameMD(&want, &wf.desc) {
			var up2 []call
			if wb, up2, err = b.converted(wUser, want); err != nil {
				return op{}, err
			}
			up = append(up, up2...)
		}
		dyd, err := b.view(y.grad, queryMD(cdpd, C.dnnl_query_diff_dst_md, 0), &dcalls)
		if err != nil {
			return op{}, err
		}
		dx, back := x.grad, call{}
		if want := queryMD(cdpd, C.dnnl_query_diff_src_md, 0); !sameMD(&want, &x.grad.desc) {
			if dx, err = b.alloc(want); err != nil {
				return op{}, err
			}
			r, err := b.reorder(want, x.grad.desc)
			if err != nil {
				return op{}, err
			}
			back = newCall(r, arg{argFrom, dx}, arg{argTo, x.grad})
		}
		dcalls = append(dcalls, newCall(bd, arg{argDiffDst, dyd}, arg{argW, wb}, arg{argDiffSrc, dx}))
		if back.p != nil {
			dcalls = append(dcalls, back)
		}
	}
	up = append(up, fcall)
	return op{
		fwd: func() error {
			copy(wUser.floats(), l.W.W)
			if bias != nil {
				copy(bias.floats(), l.B.W)
			}
			return b.c.runAll(up...)
		},
		bwd: func() error {
			if err := b.c.runAll(wcalls...); err != nil {
				return err
			}
			if err := b.c.wait(); err != nil {
				return err
			}
			addTo(l.W.G, gUser.floats())
			if db != nil {
				addTo(l.B.G, db.floats())
			}
			return b.c.runAll(dcalls...)
		},
	}, nil
}

// converted returns memory in layout want holding user's values and the
// reorder calls that fill it (none when the layouts agree).
func (b builder) converted(user *memory, want md) (*memory, []call, error) {
	if sameMD(&user.desc, &want) {
		return user, nil, nil
	}
	m, err := b.alloc(want)
	if err != nil {
		return nil, nil, err
	}
	r, err := b.reorder(user.desc, want)
	if err != nil {
		return nil, nil, err
	}
	return m, []call{newCall(r, arg{argFrom, user}, arg{argTo, m})}, nil
}

// flexPD creates a backward convolution descriptor (init builds the op
// descriptor from source and destination layouts) on the layouts of x and
// y when a direct JIT kernel takes them, else on the first of (primitive's
// source, y's), (x's, primitive's destination), (both the primitive's)
// that one does: each layout kept saves a reorder of that tensor.
func (b builder) flexPD(init func(src, dst *md) C.dnnl_convolution_desc_t, x, y *tensor, hint pdesc, what string) (pdesc, error) {
	anyX, anyY := newMD(tagAny, x.dims...), newMD(tagAny, y.dims...)
	for _, t := range [][2]md{{x.mem.desc, y.mem.desc}, {anyX, y.mem.desc}, {x.mem.desc, anyY}} {
		cd := init(&t[0], &t[1])
		if pd, err := b.c.newPD(unsafe.Pointer(&cd), nil, hint, what); err == nil {
			if directJIT(pd) {
				return pd, nil
			}
			freePD(pd)
		}
	}
	cd := init(&anyX, &anyY)
	return b.c.newPD(unsafe.Pointer(&cd), nil, hint, what)
}

// view returns have's contents in layout want: have itself, or a copy
// whose reorder is appended to calls.
func (b builder) view(have *memory, want md, calls *[]call) (*memory, error) {
	m, rc, err := b.converted(have, want)
	*calls = append(*calls, rc...)
	return m, err
}

// relayout copies x into layout m for a primitive that needs it, and its
// gradient back.
func (b builder) relayout(x *tensor, m md) (*tensor, []op, error) {
	t, err := b.tensor(m, x.dims...)
	if err != nil {
		return nil, nil, err
	}
	t.input = x.input
	to, err := b.reorder(x.mem.desc, m)
	if err != nil {
		return nil, nil, err
	}
	back, err := b.reorder(m, x.mem.desc)
	if err != nil {
		return nil, nil, err
	}
	fwd := newCall(to, arg{argFrom, x.mem}, arg{argTo, t.mem})
	bwd := newCall(back, arg{argFrom, t.grad}, arg{argTo, x.grad})
	o := op{fwd: func() error { return b.c.run(fwd) }}
	if !x.input {
		o.bwd = func() error { return b.c.run(bwd) }
	}
	return t, []op{o}, nil
}

// addTo adds src into dst elementwise (gradients accumulate).
func addTo(dst, src []float32) {
	if len(dst) != len(src) {
		panic(fmt.Sprintf("dnnl: gradient of %d values into %d", len(src), len(dst)))
	}
	for i, v := range src {
		dst[i] += v
	}
}
