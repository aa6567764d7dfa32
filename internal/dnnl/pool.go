//go:build cgo && linux && amd64 && dnnl

package dnnl

/*
#include <oneapi/dnnl/dnnl.h>
*/
import "C"

import "unsafe"

// pool compiles a k x k pooling with stride k (max or average, floor mode).
func (b builder) pool(x *tensor, k int, max bool) (*tensor, []op, error) {
	alg := C.dnnl_alg_kind_t(C.dnnl_pooling_avg_exclude_padding)
	if max {
		alg = C.dnnl_pooling_max
	}
	return b.pooling(x, alg, k, k, k, x.dims[2]/k, x.dims[3]/k)
}

// gap compiles global average pooling to [N, C, 1, 1].
func (b builder) gap(x *tensor) (*tensor, []op, error) {
	return b.pooling(x, C.dnnl_pooling_avg_exclude_padding, x.dims[2], x.dims[3], 1, 1, 1)
}

// pooling compiles a kh x kw pooling with the given stride to oh x ow.
func (b builder) pooling(x *tensor, alg C.dnnl_alg_kind_t, kh, kw, stride, oh, ow int) (*tensor, []op, error) {
	n, c := x.dims[0], x.dims[1]
	dst := newMD(tagAny, n, c, oh, ow)
	st, ker, pad := dims(stride, stride), dims(kh, kw), dims(0, 0)
	// The right padding makes floor mode explicit: the rows a window does
	// not fill are dropped.
	padR := dims((oh-1)*stride+kh-x.dims[2], (ow-1)*stride+kw-x.dims[3])
	var pd C.dnnl_pooling_desc_t
	C.dnnl_pooling_forward_desc_init(&pd, C.dnnl_forward_training, alg, &x.mem.desc, &dst, &st[0], &ker[0], &pad[0], &padR[0])
	fpd, fwd, err := b.primitive(unsafe.Pointer(&pd), nil, "pool fwd")
	if err != nil {
		return nil, nil, err
	}
	defer freePD(fpd)
	cfpd := C.const_dnnl_primitive_desc_t(fpd)
	y, err := b.tensor(queryMD(cfpd, C.dnnl_query_dst_md, 0), n, c, oh, ow)
	if err != nil {
		return nil, nil, err
	}
	var ws *memory
	if wmd := queryMD(cfpd, C.dnnl_query_workspace_md, 0); mdSize(&wmd) > 0 {
		if ws, err = b.alloc(wmd); err != nil {
			return nil, nil, err
		}
	}
	C.dnnl_pooling_backward_desc_init(&pd, alg, &x.mem.desc, &y.mem.desc, &st[0], &ker[0], &pad[0], &padR[0])
	bpd, bwd, err := b.primitive(unsafe.Pointer(&pd), fpd, "pool bwd")
	if err != nil {
		return nil, nil, err
	}
	defer freePD(bpd)
	f := newCall(fwd, arg{argSrc, x.mem}, arg{argDst, y.mem}, arg{argWorkspace, ws})
	g := newCall(bwd, arg{argDiffDst, y.grad}, arg{argWorkspace, ws}, arg{argDiffSrc, x.grad})
	return y, []op{{fwd: func() error { return b.c.run(f) }, bwd: func() error { return b.c.run(g) }}}, nil
}

// relu compiles a ReLU not preceded by batch norm (its backward reads the
// output).
func (b builder) relu(x *tensor) (*tensor, []op, error) {
	var ed C.dnnl_eltwise_desc_t
	C.dnnl_eltwise_forward_desc_init(&ed, C.dnnl_forward_training, C.dnnl_eltwise_relu_use_dst_for_bwd, &x.mem.desc, 0, 0)
	fpd, fwd, err := b.primitive(unsafe.Pointer(&ed), nil, "relu fwd")
	if err != nil {
		return nil, nil, err
	}
	defer freePD(fpd)
	y, err := b.tensor(queryMD(C.const_dnnl_primitive_desc_t(fpd), C.dnnl_query_dst_md, 0), x.dims...)
	if err != nil {
		return nil, nil, err
	}
	C.dnnl_eltwise_backward_desc_init(&ed, C.dnnl_eltwise_relu_use_dst_for_bwd, &y.mem.desc, &y.mem.desc, 0, 0)
	bpd, bwd, err := b.primitive(unsafe.Pointer(&ed), fpd, "relu bwd")
	if err != nil {
		return nil, nil, err
	}
	defer freePD(bpd)
	f := newCall(fwd, arg{argSrc, x.mem}, arg{argDst, y.mem})
	g := newCall(bwd, arg{argDst, y.mem}, arg{argDiffDst, y.grad}, arg{argDiffSrc, x.grad})
	return y, []op{{fwd: func() error { return b.c.run(f) }, bwd: func() error { return b.c.run(g) }}}, nil
}
