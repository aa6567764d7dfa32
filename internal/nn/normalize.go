package nn

// Normalize is a fixed per-channel affine map of its input, y = (x -
// Mean[c]) / Std[c] over the last axis: an input normalisation inside the
// model, with no parameters.
type Normalize struct {
	Mean, Std []float32
	out, dx   *Tensor
}

// Forward computes (x - Mean[c]) / Std[c].
func (l *Normalize) Forward(x *Tensor, _ Mode) *Tensor {
	l.out = reuse(l.out, x.Shape...)
	c := len(l.Mean)
	for i, v := range x.Data {
		l.out.Data[i] = (v - l.Mean[i%c]) / l.Std[i%c]
	}
	return l.out
}

// Backward scales dy by 1/Std[c].
func (l *Normalize) Backward(dy *Tensor) *Tensor {
	l.dx = reuse(l.dx, dy.Shape...)
	c := len(l.Std)
	for i, v := range dy.Data {
		l.dx.Data[i] = v / l.Std[i%c]
	}
	return l.dx
}

// Params returns nothing: the map is fixed.
func (l *Normalize) Params() []*Param { return nil }
