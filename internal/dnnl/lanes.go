//go:build cgo && linux && amd64 && dnnl

package dnnl

/*
#include <oneapi/dnnl/dnnl.h>
*/
import "C"

// lanes is an activation layout seen as chunks of rows x blk floats:
// chunk i holds channels (i % cb)*blk ... +blk-1 of example i / cb, a row
// per pixel. nChw16c and nChw8c have blk 16 and 8, NHWC blk = channels
// (cb 1), NCHW blk 1 (cb = channels).
type lanes struct {
	name          string
	cb, blk, rows int
	c             int // channels (cb*blk may pad them)
}

// laneView returns x's layout as lanes, reordering x to NHWC first (ops
// returned) when it is none of those.
func (b builder) laneView(x *tensor) (lanes, *tensor, []op, error) {
	n, c, h, w := x.dims[0], x.dims[1], x.dims[2], x.dims[3]
	for _, f := range []struct {
		tag  C.dnnl_format_tag_t
		name string
		blk  int
	}{{tagNChw16c, "nChw16c", 16}, {tagNChw8c, "nChw8c", 8}, {tagNHWC, "nhwc", c}, {tagNCHW, "nchw", 1}} {
		m := newMD(f.tag, n, c, h, w)
		if sameMD(&m, &x.mem.desc) {
			return lanes{name: f.name, cb: (c + f.blk - 1) / f.blk, blk: f.blk, rows: h * w, c: c}, x, nil, nil
		}
	}
	t, ops, err := b.relayout(x, newMD(tagNHWC, n, c, h, w))
	return lanes{name: "nhwc", cb: 1, blk: c, rows: h * w, c: c}, t, ops, err
}
