package nn

// Sequential runs layers one after the other.
type Sequential struct{ Layers []Layer }

// Forward runs every layer in order.
func (s *Sequential) Forward(x *Tensor, mode Mode) *Tensor {
	for _, l := range s.Layers {
		x = l.Forward(x, mode)
	}
	return x
}

// Backward runs every layer's backward in reverse order.
func (s *Sequential) Backward(dy *Tensor) *Tensor {
	for i := len(s.Layers) - 1; i >= 0; i-- {
		dy = s.Layers[i].Backward(dy)
	}
	return dy
}

// Params concatenates the layers' parameters in order.
func (s *Sequential) Params() []*Param {
	var ps []*Param
	for _, l := range s.Layers {
		ps = append(ps, l.Params()...)
	}
	return ps
}
