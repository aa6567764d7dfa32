package nn

import "wdlab/internal/kern"

// Conv2D is a 2-D convolution over NHWC input computed as im2col + GEMM.
// Weight shape [kh, kw, cin, cout] (the GEMM's K x N matrix), optional bias.
type Conv2D struct {
	W, B                 *Param
	K, Stride, Pad       int
	Cin, Cout            int
	InitRule             string  // OpDesc.Init
	x                    *Tensor // input (cached for backward)
	cols, dcols, out, dx *Tensor
	h, w, oh, ow         int
}

// NewConv2D allocates a convolution's parameters (uninitialised).
func NewConv2D(name string, cin, cout, k, stride, pad int, bias bool) *Conv2D {
	c := &Conv2D{K: k, Stride: stride, Pad: pad, Cin: cin, Cout: cout}
	c.W = newParam(name+".weight", k, k, cin, cout)
	if bias {
		c.B = newParam(name+".bias", cout)
	}
	return c
}

// OutPixels is n*oh*ow of the last forward pass (0 before any).
func (c *Conv2D) OutPixels() int {
	if c.x == nil {
		return 0
	}
	return c.x.Shape[0] * c.oh * c.ow
}

// direct reports whether the input is already the im2col matrix (1x1, stride 1, no pad).
func (c *Conv2D) direct() bool { return c.K == 1 && c.Stride == 1 && c.Pad == 0 }

// Forward computes y = conv(x) + b.
func (c *Conv2D) Forward(x *Tensor, _ Mode) *Tensor {
	n, h, w := x.Shape[0], x.Shape[1], x.Shape[2]
	c.h, c.w = h, w
	c.oh, c.ow = kern.ConvOutSize(h, c.K, c.Stride, c.Pad), kern.ConvOutSize(w, c.K, c.Stride, c.Pad)
	m, kk := n*c.oh*c.ow, c.K*c.K*c.Cin
	c.x = x
	cols := x.Data
	if !c.direct() {
		c.cols = reuse(c.cols, m, kk)
		kern.Im2col(x.Data, n, h, w, c.Cin, c.K, c.K, c.Stride, c.Pad, c.cols.Data)
		cols = c.cols.Data
	}
	c.out = reuse(c.out, n, c.oh, c.ow, c.Cout)
	kern.Gemm(false, false, m, c.Cout, kk, 1, cols, kk, c.W.W, c.Cout, 0, c.out.Data, c.Cout)
	if c.B != nil {
		addRowBias(c.out.Data, c.B.W)
	}
	return c.out
}

// Backward accumulates dW, db and returns dx.
func (c *Conv2D) Backward(dy *Tensor) *Tensor {
	n := c.x.Shape[0]
	m, kk := n*c.oh*c.ow, c.K*c.K*c.Cin
	cols := c.x.Data
	if !c.direct() {
		cols = c.cols.Data
	}
	kern.Gemm(true, false, kk, c.Cout, m, 1, cols, kk, dy.Data, c.Cout, 1, c.W.G, c.Cout)
	if c.B != nil {
		sumRowsInto(c.B.G, dy.Data)
	}
	c.dx = reuse(c.dx, n, c.h, c.w, c.Cin)
	if c.direct() {
		kern.Gemm(false, true, m, kk, c.Cout, 1, dy.Data, c.Cout, c.W.W, c.Cout, 0, c.dx.Data, kk)
		return c.dx
	}
	c.dcols = reuse(c.dcols, m, kk)
	kern.Gemm(false, true, m, kk, c.Cout, 1, dy.Data, c.Cout, c.W.W, c.Cout, 0, c.dcols.Data, kk)
	clear(c.dx.Data)
	kern.Col2im(c.dcols.Data, n, c.h, c.w, c.Cin, c.K, c.K, c.Stride, c.Pad, c.dx.Data)
	return c.dx
}

// Params returns the weight and, if present, the bias.
func (c *Conv2D) Params() []*Param {
	if c.B != nil {
		return []*Param{c.W, c.B}
	}
	return []*Param{c.W}
}

// addRowBias adds b to every row of the row-major matrix y (len(b) columns).
func addRowBias(y, b []float32) {
	nc := len(b)
	parFor(len(y)/nc, 4096, func(lo, hi int) {
		for r := lo; r < hi; r++ {
			row := y[r*nc : (r+1)*nc]
			for j, v := range b {
				row[j] += v
			}
		}
	})
}

// sumRowsInto adds the column sums of the row-major matrix dy to g, with a
// fixed chunked order (deterministic across core counts).
func sumRowsInto(g, dy []float32) {
	nc := len(g)
	rows := len(dy) / nc
	var part [reduceChunks][]float64
	parChunks(rows, 4096, func(ch, lo, hi int) {
		acc := make([]float64, nc)
		for r := lo; r < hi; r++ {
			for j, v := range dy[r*nc : (r+1)*nc] {
				acc[j] += float64(v)
			}
		}
		part[ch] = acc
	})
	for _, acc := range part {
		for j, v := range acc {
			g[j] += float32(v)
		}
	}
}
