package nn

// Param is one named parameter tensor (or buffer) of a model.
type Param struct {
	Name  string    // dotted path, e.g. "layer1.0.conv1.weight"
	Shape []int     // logical shape; conv weights are [kh, kw, cin, cout]
	W     []float32 // values
	G     []float32 // gradient (nil for buffers)
	// Decay marks parameters that weight decay applies to.
	Decay bool
	// Frozen parameters get gradients but are never updated by optimizers.
	Frozen bool
	// ScaleInv marks the scale-invariant group: weights that feed a
	// normalisation layer (for the LM: the decayed weights).
	ScaleInv bool
	// Buffer marks non-trainable state such as BN running statistics.
	Buffer bool
}

// Size returns the number of scalars in p.
func (p *Param) Size() int { return len(p.W) }

// Trainable reports whether optimizers update p.
func (p *Param) Trainable() bool { return !p.Buffer && !p.Frozen }

// newParam allocates a parameter with zeroed values and gradient.
func newParam(name string, shape ...int) *Param {
	n := 1
	for _, d := range shape {
		n *= d
	}
	return &Param{Name: name, Shape: shape, W: make([]float32, n), G: make([]float32, n)}
}

// newBuffer allocates a non-trainable buffer filled with v.
func newBuffer(name string, n int, v float32) *Param {
	w := make([]float32, n)
	for i := range w {
		w[i] = v
	}
	return &Param{Name: name, Shape: []int{n}, W: w, Buffer: true}
}
