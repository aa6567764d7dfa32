package nn

import "fmt"

// Model is a Desc built for the native engine: a root layer sequence plus
// an index of its parameters and buffers.
type Model struct {
	Desc   Desc
	Root   *Sequential
	params []*Param
}

// Forward returns the logits for x.
func (m *Model) Forward(x *Tensor, mode Mode) *Tensor { return m.Root.Forward(x, mode) }

// Backward back-propagates dL/dlogits, accumulating parameter gradients.
func (m *Model) Backward(dlogits *Tensor) *Tensor { return m.Root.Backward(dlogits) }

// LossGrads runs the training-mode forward pass on the first n examples
// of x (the model's input shape each), the mean softmax cross-entropy
// against y and the backward pass; it returns the loss and leaves its
// gradients (zeroed first) in the parameters.
func (m *Model) LossGrads(x []float32, y []int32, n int) float64 {
	in := &Tensor{Shape: append([]int{n}, m.Desc.Input...), Data: x}
	m.ZeroGrad()
	loss, _, g := SoftmaxCE(m.Forward(in, Train), y, nil)
	m.Backward(g)
	return loss
}

// Params returns all parameters and buffers in a fixed order.
func (m *Model) Params() []*Param { return m.params }

// Weights returns the non-buffer parameters (trainable and frozen).
func (m *Model) Weights() []*Param {
	var ps []*Param
	for _, p := range m.params {
		if !p.Buffer {
			ps = append(ps, p)
		}
	}
	return ps
}

// Param returns the parameter or buffer with the given name, or nil.
func (m *Model) Param(name string) *Param {
	for _, p := range m.params {
		if p.Name == name {
			return p
		}
	}
	return nil
}

// ZeroGrad clears every gradient.
func (m *Model) ZeroGrad() {
	for _, p := range m.params {
		clear(p.G)
	}
}

// NumParams counts the scalars of all non-buffer parameters.
func (m *Model) NumParams() int {
	n := 0
	for _, p := range m.Weights() {
		n += p.Size()
	}
	return n
}

// BatchNorms returns every BN layer of the model.
func (m *Model) BatchNorms() []*BatchNorm {
	var out []*BatchNorm
	Walk(m.Root, func(l Layer) {
		if b, ok := l.(*BatchNorm); ok {
			out = append(out, b)
		}
	})
	return out
}

// CopyWeightsFrom copies all parameter and buffer values from src, which
// must have the same description.
func (m *Model) CopyWeightsFrom(src *Model) error {
	if len(src.params) != len(m.params) {
		return fmt.Errorf("copy weights: %d vs %d tensors", len(src.params), len(m.params))
	}
	for i, p := range m.params {
		if p.Name != src.params[i].Name || len(p.W) != len(src.params[i].W) {
			return fmt.Errorf("copy weights: tensor %d is %s, source has %s", i, p.Name, src.params[i].Name)
		}
		copy(p.W, src.params[i].W)
	}
	return nil
}
