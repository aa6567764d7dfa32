package nn

// GlobalAvgPool averages NHWC input over H and W, giving [N, C].
type GlobalAvgPool struct {
	shape   []int
	out, dx *Tensor
}

// Forward averages over the spatial dimensions.
func (p *GlobalAvgPool) Forward(x *Tensor, _ Mode) *Tensor {
	n, hw, c := x.Shape[0], x.Shape[1]*x.Shape[2], x.Shape[3]
	p.shape = x.Shape
	p.out = reuse(p.out, n, c)
	clear(p.out.Data)
	inv := 1 / float32(hw)
	for b := 0; b < n; b++ {
		o := p.out.Data[b*c : (b+1)*c]
		for s := 0; s < hw; s++ {
			for j, v := range x.Data[(b*hw+s)*c : (b*hw+s+1)*c] {
				o[j] += v
			}
		}
		for j := range o {
			o[j] *= inv
		}
	}
	return p.out
}

// Backward spreads dy evenly over the spatial positions.
func (p *GlobalAvgPool) Backward(dy *Tensor) *Tensor {
	n, hw, c := p.shape[0], p.shape[1]*p.shape[2], p.shape[3]
	p.dx = reuse(p.dx, p.shape...)
	inv := 1 / float32(hw)
	for b := 0; b < n; b++ {
		g := dy.Data[b*c : (b+1)*c]
		for s := 0; s < hw; s++ {
			d := p.dx.Data[(b*hw+s)*c : (b*hw+s+1)*c]
			for j, v := range g {
				d[j] = v * inv
			}
		}
	}
	return p.dx
}

// Params returns nothing.
func (p *GlobalAvgPool) Params() []*Param { return nil }

// Pool2D is a k x k pooling with stride k (average or max) over NHWC input;
// trailing rows/columns that do not fill a window are dropped (PyTorch floor mode).
type Pool2D struct {
	K       int
	Max     bool
	shape   []int
	arg     []int32 // max: flat input index of each output's maximum
	out, dx *Tensor
}

// Forward pools each k x k window.
func (p *Pool2D) Forward(x *Tensor, _ Mode) *Tensor {
	n, h, w, c := x.Shape[0], x.Shape[1], x.Shape[2], x.Shape[3]
	k := p.K
	oh, ow := h/k, w/k
	p.shape = x.Shape
	p.out = reuse(p.out, n, oh, ow, c)
	if p.Max && len(p.arg) != len(p.out.Data) {
		p.arg = make([]int32, len(p.out.Data))
	}
	inv := 1 / float32(k*k)
	parFor(n, 2, func(b0, b1 int) {
		for b := b0; b < b1; b++ {
			for oy := 0; oy < oh; oy++ {
				for ox := 0; ox < ow; ox++ {
					obase := ((b*oh+oy)*ow + ox) * c
					for j := 0; j < c; j++ {
						var acc float32
						best := int32(-1)
						for dy := 0; dy < k; dy++ {
							for dx := 0; dx < k; dx++ {
								idx := ((b*h+oy*k+dy)*w+ox*k+dx)*c + j
								v := x.Data[idx]
								if !p.Max {
									acc += v
								} else if best < 0 || v > x.Data[best] {
									best = int32(idx)
								}
							}
						}
						if p.Max {
							p.arg[obase+j] = best
							p.out.Data[obase+j] = x.Data[best]
						} else {
							p.out.Data[obase+j] = acc * inv
						}
					}
				}
			}
		}
	})
	return p.out
}

// Backward routes dy to the window (average) or its maximum (max).
func (p *Pool2D) Backward(dy *Tensor) *Tensor {
	n, h, w, c := p.shape[0], p.shape[1], p.shape[2], p.shape[3]
	k := p.K
	oh, ow := h/k, w/k
	p.dx = reuse(p.dx, p.shape...)
	clear(p.dx.Data)
	if p.Max {
		for i, g := range dy.Data {
			p.dx.Data[p.arg[i]] += g
		}
		return p.dx
	}
	inv := 1 / float32(k*k)
	for b := 0; b < n; b++ {
		for oy := 0; oy < oh; oy++ {
			for ox := 0; ox < ow; ox++ {
				g := dy.Data[((b*oh+oy)*ow+ox)*c : ((b*oh+oy)*ow+ox+1)*c]
				for ddy := 0; ddy < k; ddy++ {
					for ddx := 0; ddx < k; ddx++ {
						base := ((b*h+oy*k+ddy)*w + ox*k + ddx) * c
						for j, v := range g {
							p.dx.Data[base+j] += v * inv
						}
					}
				}
			}
		}
	}
	return p.dx
}

// Params returns nothing.
func (p *Pool2D) Params() []*Param { return nil }

// Flatten reshapes [N, ...] to [N, prod(...)] without copying.
type Flatten struct{ shape []int }

// Forward returns a view of x with shape [N, rest].
func (f *Flatten) Forward(x *Tensor, _ Mode) *Tensor {
	f.shape = x.Shape
	return &Tensor{Shape: []int{x.Shape[0], len(x.Data) / x.Shape[0]}, Data: x.Data}
}

// Backward returns a view of dy in the input's shape.
func (f *Flatten) Backward(dy *Tensor) *Tensor { return &Tensor{Shape: f.shape, Data: dy.Data} }

// Params returns nothing.
func (f *Flatten) Params() []*Param { return nil }
