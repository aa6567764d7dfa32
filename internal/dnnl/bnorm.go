//go:build cgo && linux && amd64 && dnnl

package dnnl

/*
#include <oneapi/dnnl/dnnl.h>
*/
import "C"

import (
	"unsafe"

	"wdlab/internal/nn"
)

// bn compiles batch norm on x with batch statistics (training), the ReLU
// that follows it fused when relu is set. Running statistics are folded
// into l's buffers after every forward pass, with the native layer's
// momentum and unbiased variance.
func (b builder) bn(l *nn.BatchNorm, x *tensor, relu bool) (*tensor, []op, error) {
	flags := C.uint(0)
	if l.Gamma != nil {
		flags |= C.dnnl_use_scaleshift
	}
	if relu {
		flags |= C.dnnl_fuse_norm_relu
	}
	eps := C.float(l.Eps)
	var bd C.dnnl_batch_normalization_desc_t
	C.dnnl_batch_normalization_forward_desc_init(&bd, C.dnnl_forward_training, &x.mem.desc, eps, flags)
	fpd, fwd, err := b.primitive(unsafe.Pointer(&bd), nil, "bn fwd")
	if err != nil {
		return nil, nil, err
	}
	defer freePD(fpd)
	cfpd := C.const_dnnl_primitive_desc_t(fpd)
	y, err := b.tensor(queryMD(cfpd, C.dnnl_query_dst_md, 0), x.dims...)
	if err != nil {
		return nil, nil, err
	}
	c := l.C
	mean, err := b.alloc(newMD(tagA, c))
	if err != nil {
		return nil, nil, err
	}
	variance, err := b.alloc(newMD(tagA, c))
	if err != nil {
		return nil, nil, err
	}
	var ws, ss, dss *memory
	if relu {
		if ws, err = b.alloc(queryMD(cfpd, C.dnnl_query_workspace_md, 0)); err != nil {
			return nil, nil, err
		}
	}
	prop := C.dnnl_prop_kind_t(C.dnnl_backward_data)
	if l.Gamma != nil {
		prop = C.dnnl_backward
		if ss, err = b.alloc(newMD(tagAB, 2, c)); err != nil {
			return nil, nil, err
		}
		if dss, err = b.alloc(newMD(tagAB, 2, c)); err != nil {
			return nil, nil, err
		}
	}
	C.dnnl_batch_normalization_backward_desc_init(&bd, prop, &y.mem.desc, &x.mem.desc, eps, flags)
	bpd, bwd, err := b.primitive(unsafe.Pointer(&bd), fpd, "bn bwd")
	if err != nil {
		return nil, nil, err
	}
	defer freePD(bpd)
	fcall := newCall(fwd, arg{argSrc, x.mem}, arg{argSS, ss}, arg{argDst, y.mem}, arg{argMean, mean}, arg{argVar, variance}, arg{argWorkspace, ws})
	bcall := newCall(bwd, arg{argSrc, x.mem}, arg{argMean, mean}, arg{argVar, variance}, arg{argDiffDst, y.grad},
		arg{argSS, ss}, arg{argWorkspace, ws}, arg{argDiffSrc, x.grad}, arg{argDiffSS, dss})
	rows := x.dims[0] * x.dims[2] * x.dims[3]
	return y, []op{{
		fwd: func() error {
			if ss != nil {
				v := ss.floats()
				copy(v[:c], l.Gamma.W)
				copy(v[c:], l.Beta.W)
			}
			if err := b.c.run(fcall); err != nil {
				return err
			}
			if err := b.c.wait(); err != nil {
				return err
			}
			foldStats(l, mean.floats(), variance.floats(), rows)
			return nil
		},
		bwd: func() error {
			if err := b.c.run(bcall); err != nil {
				return err
			}
			if dss != nil {
				if err := b.c.wait(); err != nil {
					return err
				}
				v := dss.floats()
				addTo(l.Gamma.G, v[:c])
				addTo(l.Beta.G, v[c:])
			}
			return nil
		},
	}}, nil
}

// foldStats updates l's running mean and variance with a batch's mean and
// biased variance over rows values per channel, as nn.BatchNorm does in
// Train mode.
func foldStats(l *nn.BatchNorm, mean, variance []float32, rows int) {
	m := l.Momentum
	unbias := 1.0
	if rows > 1 {
		unbias = float64(rows) / float64(rows-1)
	}
	for j := range l.RunMean.W {
		l.RunMean.W[j] = float32((1-m)*float64(l.RunMean.W[j]) + m*float64(mean[j]))
		l.RunVar.W[j] = float32((1-m)*float64(l.RunVar.W[j]) + m*float64(variance[j])*unbias)
	}
}
