package probe

import (
	"fmt"
	"math"

	"wdlab/internal/data"
	"wdlab/internal/nn"
)

// An independent reference for v^T H v: second-order forward-mode
// (Taylor) propagation in float64 of the activations along the line
// w + e v, x(e) = x0 + e x1 + e^2/2 x2, through every layer of the model,
// with ReLU masks and max-pool choices of w and BN in eval mode. Then
// v^T H v = d^2/de^2 CE(z(e)) = z1^T (diag p - p p^T) z1 + (p - e_y)^T z2,
// averaged over the examples. No step size, no reverse pass, no float32.

// jet is an activation [N, ...] with its first two derivatives along v.
type jet struct {
	shape      []int
	x0, x1, x2 []float64
}

// refDir maps parameters to their direction (missing = zero).
type refDir map[*nn.Param][]float64

// at returns p's direction as float64 (zero when absent or p is nil).
func (d refDir) at(p *nn.Param, n int) []float64 {
	if v, ok := d[p]; ok && p != nil {
		return v
	}
	return make([]float64, n)
}

// trainableDir splits a flat vector over the trainable parameters (in
// Params order) into a refDir.
func trainableDir(m *nn.Model, v []float64) refDir {
	d := refDir{}
	off := 0
	for _, p := range m.Params() {
		if p.Trainable() {
			d[p] = v[off : off+p.Size()]
			off += p.Size()
		}
	}
	return d
}

// refVHV is v^T H v of the mean eval-mode cross-entropy of m over ds.
func refVHV(m *nn.Model, ds *data.Dataset, dir refDir) float64 {
	x := jet{shape: []int{ds.N, ds.H, ds.W, ds.C}, x0: f64(ds.X)}
	x.x1, x.x2 = make([]float64, len(x.x0)), make([]float64, len(x.x0))
	z := jetLayer(m.Root, x, dir)
	k := z.shape[1]
	var sum float64
	for i := range ds.N {
		z0, z1, z2 := z.x0[i*k:(i+1)*k], z.x1[i*k:(i+1)*k], z.x2[i*k:(i+1)*k]
		mx := z0[0]
		for _, v := range z0 {
			mx = math.Max(mx, v)
		}
		p := make([]float64, k)
		var s, pz1 float64
		for j, v := range z0 {
			p[j] = math.Exp(v - mx)
			s += p[j]
		}
		for j := range p {
			p[j] /= s
			pz1 += p[j] * z1[j]
		}
		for j := range p {
			g := p[j]
			if j == int(ds.Y[i]) {
				g--
			}
			sum += p[j]*z1[j]*z1[j] + g*z2[j]
		}
		sum -= pz1 * pz1
	}
	return sum / float64(ds.N)
}

// refTrace is the exact trace: the sum of e_i^T H e_i over the trainable
// coordinates.
func refTrace(m *nn.Model, ds *data.Dataset, dim int) float64 {
	v := make([]float64, dim)
	var tr float64
	for i := range v {
		v[i] = 1
		tr += refVHV(m, ds, trainableDir(m, v))
		v[i] = 0
	}
	return tr
}

// jetLayer propagates a jet through one layer (containers recursively).
func jetLayer(l nn.Layer, x jet, dir refDir) jet {
	switch v := l.(type) {
	case *nn.Sequential:
		for _, c := range v.Layers {
			x = jetLayer(c, x, dir)
		}
		return x
	case *nn.Residual:
		a := jetLayer(v.Pre, x, dir)
		skip := x
		if v.Shortcut != nil {
			skip = jetLayer(v.Shortcut, a, dir)
		}
		y := jetLayer(v.Body, a, dir)
		return jet{y.shape, add(y.x0, skip.x0), add(y.x1, skip.x1), add(y.x2, skip.x2)}
	case *nn.Linear:
		n := x.shape[0]
		x.shape = []int{n, 1, 1, v.In}
		y := jetBilinear(x, v.W, v.B, dir, 1, 1, 0)
		y.shape = []int{n, v.Out}
		return y
	case *nn.Conv2D:
		return jetBilinear(x, v.W, v.B, dir, v.K, v.Stride, v.Pad)
	case *nn.BatchNorm:
		return jetBN(v, x, dir)
	case *nn.ReLU:
		return jetGather(x, x.shape, func(i int, emit func(int, float64)) {
			if x.x0[i] > 0 {
				emit(i, 1)
			}
		})
	case *nn.Pool2D:
		return jetPool(v, x)
	case *nn.GlobalAvgPool:
		n, hw, c := x.shape[0], x.shape[1]*x.shape[2], x.shape[3]
		return jetGather(x, []int{n, c}, func(o int, emit func(int, float64)) {
			for s := range hw {
				emit(((o/c)*hw+s)*c+o%c, 1/float64(hw))
			}
		})
	case *nn.Flatten:
		n := x.shape[0]
		x.shape = []int{n, len(x.x0) / n}
		return x
	}
	panic(fmt.Sprintf("reference: layer %T", l))
}

// jetBilinear is y = conv(x, W) + b (Linear: 1x1 on [N,1,1,In]):
// y1 = conv(x1, W) + conv(x0, V) + v_b, y2 = conv(x2, W) + 2 conv(x1, V).
func jetBilinear(x jet, wp, bp *nn.Param, dir refDir, k, stride, pad int) jet {
	w, v := f64(wp.W), dir.at(wp, wp.Size())
	cout := wp.Shape[len(wp.Shape)-1]
	y0, shape := conv64(x.x0, x.shape, w, k, stride, pad, cout)
	a, _ := conv64(x.x1, x.shape, w, k, stride, pad, cout)
	b, _ := conv64(x.x0, x.shape, v, k, stride, pad, cout)
	c, _ := conv64(x.x2, x.shape, w, k, stride, pad, cout)
	d, _ := conv64(x.x1, x.shape, v, k, stride, pad, cout)
	y := jet{shape, y0, add(a, b), make([]float64, len(y0))}
	for i := range y0 {
		y.x2[i] = c[i] + 2*d[i]
	}
	if bp != nil {
		bias, vb := f64(bp.W), dir.at(bp, bp.Size())
		for i := range y0 {
			y.x0[i] += bias[i%cout]
			y.x1[i] += vb[i%cout]
		}
	}
	return y
}

// conv64 is the direct NHWC convolution with weights [k, k, cin, cout].
func conv64(x []float64, shape []int, w []float64, k, stride, pad, cout int) ([]float64, []int) {
	n, h, wd, cin := shape[0], shape[1], shape[2], shape[3]
	oh, ow := (h+2*pad-k)/stride+1, (wd+2*pad-k)/stride+1
	y := make([]float64, n*oh*ow*cout)
	for b := range n {
		for oy := range oh {
			for ox := range ow {
				out := y[((b*oh+oy)*ow+ox)*cout:][:cout]
				for ky := range k {
					for kx := range k {
						iy, ix := oy*stride+ky-pad, ox*stride+kx-pad
						if iy < 0 || iy >= h || ix < 0 || ix >= wd {
							continue
						}
						for ci := range cin {
							xv := x[((b*h+iy)*wd+ix)*cin+ci]
							row := w[((ky*k+kx)*cin+ci)*cout:][:cout]
							for co, wv := range row {
								out[co] += xv * wv
							}
						}
					}
				}
			}
		}
	}
	return y, []int{n, oh, ow, cout}
}

// jetBN is eval-mode BN, y = gamma (x - mean) inv + beta:
// y1 = gamma inv x1 + v_gamma (x0 - mean) inv + v_beta,
// y2 = gamma inv x2 + 2 v_gamma inv x1.
func jetBN(b *nn.BatchNorm, x jet, dir refDir) jet {
	c := b.C
	gamma, beta := make([]float64, c), make([]float64, c)
	vg, vb := make([]float64, c), make([]float64, c)
	for j := range gamma {
		gamma[j] = 1
	}
	if b.Gamma != nil {
		gamma, beta = f64(b.Gamma.W), f64(b.Beta.W)
		vg, vb = dir.at(b.Gamma, c), dir.at(b.Beta, c)
	}
	y := jet{x.shape, make([]float64, len(x.x0)), make([]float64, len(x.x0)), make([]float64, len(x.x0))}
	for i := range x.x0 {
		j := i % c
		inv := 1 / math.Sqrt(float64(b.RunVar.W[j])+b.Eps)
		xh := (x.x0[i] - float64(b.RunMean.W[j])) * inv
		y.x0[i] = gamma[j]*xh + beta[j]
		y.x1[i] = gamma[j]*inv*x.x1[i] + vg[j]*xh + vb[j]
		y.x2[i] = gamma[j]*inv*x.x2[i] + 2*vg[j]*inv*x.x1[i]
	}
	return y
}

// jetPool is a k x k pool with stride k (floor mode): the window mean, or
// the entry where x0 is largest (the first one on ties, as the engine).
func jetPool(p *nn.Pool2D, x jet) jet {
	n, h, w, c := x.shape[0], x.shape[1], x.shape[2], x.shape[3]
	k := p.K
	oh, ow := h/k, w/k
	return jetGather(x, []int{n, oh, ow, c}, func(o int, emit func(int, float64)) {
		j, ox, oy, b := o%c, (o/c)%ow, (o/(c*ow))%oh, o/(c*ow*oh)
		best := -1
		for dy := range k {
			for dx := range k {
				i := ((b*h+oy*k+dy)*w+ox*k+dx)*c + j
				if !p.Max {
					emit(i, 1/float64(k*k))
				} else if best < 0 || x.x0[i] > x.x0[best] {
					best = i
				}
			}
		}
		if p.Max {
			emit(best, 1)
		}
	})
}

// jetGather applies the same linear map y_o = sum_i c_oi x_i (given by
// terms, which emits (i, c_oi)) to all three parts of x.
func jetGather(x jet, shape []int, terms func(o int, emit func(int, float64))) jet {
	size := 1
	for _, d := range shape {
		size *= d
	}
	y := jet{shape, make([]float64, size), make([]float64, size), make([]float64, size)}
	for o := range size {
		terms(o, func(i int, c float64) {
			y.x0[o] += c * x.x0[i]
			y.x1[o] += c * x.x1[i]
			y.x2[o] += c * x.x2[i]
		})
	}
	return y
}

func add(a, b []float64) []float64 {
	out := make([]float64, len(a))
	for i := range a {
		out[i] = a[i] + b[i]
	}
	return out
}

func f64(x []float32) []float64 {
	out := make([]float64, len(x))
	for i, v := range x {
		out[i] = float64(v)
	}
	return out
}
