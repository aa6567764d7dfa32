package kern

import (
	"fmt"
	"runtime"
)

// ConvOutSize is the output length of a convolution over in positions with
// kernel size k, stride and zero padding pad on both sides.
func ConvOutSize(in, k, stride, pad int) int {
	return (in+2*pad-k)/stride + 1
}

// Im2col unfolds an NHWC input x [n, h, w, c] into cols [n*oh*ow, kh*kw*c]:
// row (b, oy, ox) holds the kh x kw patch under output pixel (oy, ox) in
// (ky, kx, c) order, with zeros where the patch overhangs the padding. It
// panics with a "kern.Im2col: ..." message on inconsistent sizes.
func Im2col(x []float32, n, h, w, c, kh, kw, stride, pad int, cols []float32) {
	g, err := newConvGeom(n, h, w, c, kh, kw, stride, pad, len(x), len(cols))
	if err != nil {
		panic("kern.Im2col: " + err.Error())
	}
	runParts(g.parts(), &im2colJob{g, x, cols, false})
}

// Col2im is the adjoint of Im2col: it adds every entry of cols [n*oh*ow,
// kh*kw*c] into the input position of dx [n, h, w, c] it was copied from
// (padding entries are dropped). It accumulates; the caller zeroes dx. It
// panics with a "kern.Col2im: ..." message on inconsistent sizes.
func Col2im(cols []float32, n, h, w, c, kh, kw, stride, pad int, dx []float32) {
	g, err := newConvGeom(n, h, w, c, kh, kw, stride, pad, len(dx), len(cols))
	if err != nil {
		panic("kern.Col2im: " + err.Error())
	}
	runParts(g.parts(), &im2colJob{g, dx, cols, true})
}

// convGeom is the geometry shared by Im2col and Col2im.
type convGeom struct {
	n, h, w, c, kh, kw, stride, pad int
	oh, ow                          int
}

func newConvGeom(n, h, w, c, kh, kw, stride, pad, xLen, colsLen int) (convGeom, error) {
	g := convGeom{n: n, h: h, w: w, c: c, kh: kh, kw: kw, stride: stride, pad: pad}
	switch {
	case n < 0 || h < 1 || w < 1 || c < 1:
		return g, fmt.Errorf("bad input shape n=%d h=%d w=%d c=%d", n, h, w, c)
	case kh < 1 || kw < 1 || stride < 1 || pad < 0:
		return g, fmt.Errorf("bad kernel %dx%d stride %d pad %d", kh, kw, stride, pad)
	case h+2*pad < kh || w+2*pad < kw:
		return g, fmt.Errorf("kernel %dx%d larger than padded input %dx%d", kh, kw, h+2*pad, w+2*pad)
	}
	g.oh, g.ow = ConvOutSize(h, kh, stride, pad), ConvOutSize(w, kw, stride, pad)
	if need := n * h * w * c; xLen < need {
		return g, fmt.Errorf("input has %d elements, want >= %d", xLen, need)
	}
	if need := n * g.oh * g.ow * kh * kw * c; colsLen < need {
		return g, fmt.Errorf("cols has %d elements, want >= %d", colsLen, need)
	}
	return g, nil
}

// im2colMinPart is the least number of cols elements worth a goroutine.
const im2colMinPart = 1 << 16

// parts is how many goroutines to cut the batch into.
func (g convGeom) parts() int {
	work := g.n * g.oh * g.ow * g.kh * g.kw * g.c
	return max(1, min(runtime.GOMAXPROCS(0), g.n, work/im2colMinPart))
}

// im2colJob runs Im2col (or Col2im when back) over batch images, one
// contiguous range of images per part.
type im2colJob struct {
	g    convGeom
	x    []float32 // input (Im2col) or its gradient (Col2im)
	cols []float32
	back bool
}

func (j *im2colJob) runPart(t int) {
	g := j.g
	b0, b1 := t*g.n/g.parts(), (t+1)*g.n/g.parts()
	img, rowLen := g.h*g.w*g.c, g.kh*g.kw*g.c
	for b := b0; b < b1; b++ {
		x := j.x[b*img : (b+1)*img]
		cols := j.cols[b*g.oh*g.ow*rowLen : (b+1)*g.oh*g.ow*rowLen]
		if j.back {
			g.col2imImage(cols, x)
		} else {
			g.im2colImage(x, cols)
		}
	}
}

// im2colImage unfolds one image. Each (oy, ox, ky) contributes kw*c floats:
// one copy when the kernel row lies inside the image and stride is 1,
// otherwise runs of c floats (zeros in the padding).
func (g convGeom) im2colImage(x, cols []float32) {
	c, kwc := g.c, g.kw*g.c
	row := 0
	for oy := 0; oy < g.oh; oy++ {
		for ox := 0; ox < g.ow; ox++ {
			ix0 := ox*g.stride - g.pad
			for ky := 0; ky < g.kh; ky++ {
				seg := cols[row : row+kwc]
				row += kwc
				iy := oy*g.stride - g.pad + ky
				if iy < 0 || iy >= g.h {
					clear(seg)
					continue
				}
				src := x[iy*g.w*c : (iy+1)*g.w*c]
				if g.stride == 1 && ix0 >= 0 && ix0+g.kw <= g.w {
					copy(seg, src[ix0*c:ix0*c+kwc])
					continue
				}
				for kx := 0; kx < g.kw; kx++ {
					if ix := ix0 + kx; ix < 0 || ix >= g.w {
						clear(seg[kx*c : kx*c+c])
					} else {
						copy(seg[kx*c:kx*c+c], src[ix*c:ix*c+c])
					}
				}
			}
		}
	}
}

// col2imImage is the adjoint of im2colImage for one image.
func (g convGeom) col2imImage(cols, dx []float32) {
	c, kwc := g.c, g.kw*g.c
	row := 0
	for oy := 0; oy < g.oh; oy++ {
		for ox := 0; ox < g.ow; ox++ {
			ix0 := ox*g.stride - g.pad
			for ky := 0; ky < g.kh; ky++ {
				seg := cols[row : row+kwc]
				row += kwc
				iy := oy*g.stride - g.pad + ky
				if iy < 0 || iy >= g.h {
					continue
				}
				dst := dx[iy*g.w*c : (iy+1)*g.w*c]
				if g.stride == 1 && ix0 >= 0 && ix0+g.kw <= g.w {
					addTo(dst[ix0*c:ix0*c+kwc], seg)
					continue
				}
				for kx := 0; kx < g.kw; kx++ {
					if ix := ix0 + kx; ix >= 0 && ix < g.w {
						addTo(dst[ix*c:ix*c+c], seg[kx*c:kx*c+c])
					}
				}
			}
		}
	}
}
