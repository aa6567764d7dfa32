package nn

import "math"

// LayerNorm normalises each row of [..., Dim] to zero mean and unit variance
// (biased, eps 1e-5) and multiplies by a learned gain G; there is no bias
// (nanoGPT with bias=False). It always runs in fp32.
type LayerNorm struct {
	G          *Param
	Dim        int
	Eps        float32
	x          *Tensor
	mean, rstd []float32
	out, dx    *Tensor
	gparts     [reduceChunks][]float32
}

// NewLayerNorm allocates a LayerNorm whose gain, the parameter named gain,
// is set to 1.
func NewLayerNorm(gain string, dim int) *LayerNorm {
	l := &LayerNorm{G: newParam(gain, dim), Dim: dim, Eps: 1e-5}
	l.resetGain()
	return l
}

func (l *LayerNorm) resetGain() {
	for i := range l.G.W {
		l.G.W[i] = 1
	}
}

// Forward normalises the rows of x.
func (l *LayerNorm) Forward(x *Tensor, _ Mode) *Tensor {
	d := l.Dim
	rows := len(x.Data) / d
	l.x = x
	l.out = reuse(l.out, x.Shape...)
	if len(l.mean) != rows {
		l.mean, l.rstd = make([]float32, rows), make([]float32, rows)
	}
	g := l.G.W
	parFor(rows, 64, func(lo, hi int) {
		for r := lo; r < hi; r++ {
			xr := x.Data[r*d : (r+1)*d]
			var s float32
			for _, v := range xr {
				s += v
			}
			m := s / float32(d)
			var ss float32
			for _, v := range xr {
				ss += (v - m) * (v - m)
			}
			rs := float32(1 / math.Sqrt(float64(ss/float32(d)+l.Eps)))
			l.mean[r], l.rstd[r] = m, rs
			yr := l.out.Data[r*d : (r+1)*d]
			for i, v := range xr {
				yr[i] = (v - m) * rs * g[i]
			}
		}
	})
	return l.out
}

// Backward accumulates dG and returns
// dx = rstd (dxhat - mean(dxhat) - xhat mean(dxhat xhat)) with dxhat = dy G.
func (l *LayerNorm) Backward(dy *Tensor) *Tensor {
	d := l.Dim
	rows := len(dy.Data) / d
	l.dx = reuse(l.dx, l.x.Shape...)
	g := l.G.W
	for c := range l.gparts {
		if len(l.gparts[c]) != d {
			l.gparts[c] = make([]float32, d)
		}
		clear(l.gparts[c])
	}
	parChunks(rows, 64, func(c, lo, hi int) {
		gp := l.gparts[c]
		for r := lo; r < hi; r++ {
			xr, dyr, dxr := l.x.Data[r*d:(r+1)*d], dy.Data[r*d:(r+1)*d], l.dx.Data[r*d:(r+1)*d]
			m, rs := l.mean[r], l.rstd[r]
			var sd, sdx float32
			for i, v := range xr {
				xh := (v - m) * rs
				dxh := dyr[i] * g[i]
				gp[i] += dyr[i] * xh
				sd += dxh
				sdx += dxh * xh
			}
			sd /= float32(d)
			sdx /= float32(d)
			for i, v := range xr {
				xh := (v - m) * rs
				dxr[i] = rs * (dyr[i]*g[i] - sd - xh*sdx)
			}
		}
	})
	for c := range l.gparts {
		for i, v := range l.gparts[c] {
			l.G.G[i] += v
		}
	}
	return l.dx
}

// Params returns the gain.
func (l *LayerNorm) Params() []*Param { return []*Param{l.G} }
