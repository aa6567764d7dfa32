package xla

import (
	"fmt"
	"math"

	. "github.com/gomlx/gomlx/core/graph" //nolint:revive // graph-building code reads best unqualified
	"wdlab/internal/optim"
)

// optSpec is the in-graph version of an optim.SGD or optim.AdamW: the
// same per-element float32 formulas, in the same order (see those types).
type optSpec struct {
	adam bool
	// SGD
	momentum            float64
	nesterov, decoupled bool
	// AdamW
	beta1, beta2, eps float64
	l2                bool
	// penalized: the L2 term is already in the gradient (added before
	// clipping, as optim.AdamW.AddPenalty does), so the update skips it.
	penalized bool
}

// optSpecFor reads the hyper-parameters of o (nil = plain SGD).
func optSpecFor(o optim.Optimizer) (optSpec, error) {
	switch v := o.(type) {
	case nil:
		return optSpec{}, nil
	case *optim.SGD:
		if v == nil {
			return optSpec{}, nil
		}
		if err := v.Validate(); err != nil {
			return optSpec{}, err
		}
		return optSpec{momentum: v.Momentum, nesterov: v.Nesterov, decoupled: v.Decoupled}, nil
	case *optim.AdamW:
		if v == nil {
			return optSpec{}, fmt.Errorf("xla: nil *optim.AdamW")
		}
		if err := v.Validate(); err != nil {
			return optSpec{}, err
		}
		return optSpec{adam: true, beta1: v.Beta1, beta2: v.Beta2, eps: v.Eps, l2: v.L2}, nil
	}
	return optSpec{}, fmt.Errorf("xla: optimizer %q (%T) has no in-graph version; use sgd or adamw", o.Name(), o)
}

// kinds lists the per-parameter state the optimizer keeps, named as in
// package optim's state maps.
func (o optSpec) kinds() []string {
	switch {
	case o.adam:
		return []string{"adam_m", "adam_v"}
	case o.momentum != 0:
		return []string{"momentum"}
	}
	return nil
}

// stepScalars are the per-step host-computed scalars the update reads, in
// the order the graph takes them.
type stepScalars struct {
	lr, wd, shrink, stepSize, bc2Sqrt float32
}

// numStepScalars is the number of fields of stepScalars.
const numStepScalars = 5

// scalarsFor computes the step's scalars exactly as the native optimizers
// do (in float64, then rounded); t is the 1-based step number.
func (o optSpec) scalarsFor(lr, wd float64, t int) stepScalars {
	s := stepScalars{lr: float32(lr), wd: float32(wd), shrink: float32(1 - lr*wd)}
	if o.adam {
		s.stepSize = float32(lr / (1 - math.Pow(o.beta1, float64(t))))
		s.bc2Sqrt = float32(math.Sqrt(1 - math.Pow(o.beta2, float64(t))))
	}
	return s
}

func (s stepScalars) values() []any {
	return []any{s.lr, s.wd, s.shrink, s.stepSize, s.bc2Sqrt}
}

// scalarNodes are the graph parameters holding a stepScalars.
type scalarNodes struct {
	lr, wd, shrink, stepSize, bc2Sqrt *Node
}

func scalarNodesFrom(in []*Node) scalarNodes {
	return scalarNodes{lr: in[0], wd: in[1], shrink: in[2], stepSize: in[3], bc2Sqrt: in[4]}
}

// update returns the new value of weight w with gradient g and its new
// optimizer slots (aligned with kinds()). decay says whether weight decay
// applies to this parameter.
func (o optSpec) update(w, g *Node, slots []*Node, decay bool, s scalarNodes) (*Node, []*Node) {
	if o.adam {
		return o.adamUpdate(w, g, slots, decay, s)
	}
	if decay {
		if o.decoupled {
			w = Mul(w, s.shrink)
		} else {
			g = Add(g, Mul(s.wd, w))
		}
	}
	if o.momentum == 0 {
		return Sub(w, Mul(s.lr, g)), nil
	}
	mu := Scalar(w.Graph(), w.DType(), float32(o.momentum))
	buf := Add(Mul(mu, slots[0]), g)
	d := buf
	if o.nesterov {
		d = Add(g, Mul(mu, buf))
	}
	return Sub(w, Mul(s.lr, d)), []*Node{buf}
}

// adamUpdate is AdamW (or Adam with L2 when o.l2) in optim.AdamW's order.
func (o optSpec) adamUpdate(w, g *Node, slots []*Node, decay bool, s scalarNodes) (*Node, []*Node) {
	gr, dt := w.Graph(), w.DType()
	c := func(v float64) *Node { return Scalar(gr, dt, float32(v)) }
	if decay {
		switch {
		case o.l2 && !o.penalized:
			g = Add(g, Mul(s.wd, w))
		case !o.l2:
			w = Mul(w, s.shrink)
		}
	}
	m := Add(Mul(c(o.beta1), slots[0]), Mul(c(1-o.beta1), g))
	v := Add(Mul(c(o.beta2), slots[1]), Mul(Mul(c(1-o.beta2), g), g))
	denom := Add(Div(Sqrt(v), s.bc2Sqrt), c(o.eps))
	return Sub(w, Div(Mul(s.stepSize, m), denom)), []*Node{m, v}
}
