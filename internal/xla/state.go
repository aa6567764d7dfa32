package xla

import (
	"fmt"

	"wdlab/internal/nn"
)

// pspec is one parameter or buffer of the model as the executor keeps it.
type pspec struct {
	name      string
	shape     []int
	size      int
	buffer    bool // BN running statistic
	trainable bool // updated by the optimizer
	decay     bool // weight decay applies
	scaleInv  bool // member of the scale-invariant group (non-buffer)
}

// specsFor checks params against the parameters nn.Build gives desc
// (every one present by name with the same size) and returns their specs
// in the model's order, with the flags of the given params.
func specsFor(desc nn.Desc, params []*nn.Param) ([]pspec, error) {
	m, err := nn.Build(desc)
	if err != nil {
		return nil, err
	}
	return specsMatching(desc.Name, m.Params(), params)
}

// specsMatching returns the specs of want (a freshly built model's
// parameters, in order) with the flags of the same-named entries of params,
// which must all be present with the same size.
func specsMatching(model string, want, params []*nn.Param) ([]pspec, error) {
	byName := make(map[string]*nn.Param, len(params))
	for _, p := range params {
		byName[p.Name] = p
	}
	specs := make([]pspec, 0, len(want))
	for _, w := range want {
		p, ok := byName[w.Name]
		if !ok {
			return nil, fmt.Errorf("model %q: parameter %q missing from the given parameters", model, w.Name)
		}
		if len(p.W) != len(w.W) {
			return nil, fmt.Errorf("model %q: parameter %q has %d values, the description needs %d", model, p.Name, len(p.W), len(w.W))
		}
		specs = append(specs, pspec{
			name: w.Name, shape: append([]int(nil), w.Shape...), size: len(w.W),
			buffer: p.Buffer, trainable: p.Trainable(), decay: p.Decay, scaleInv: p.ScaleInv && !p.Buffer,
		})
	}
	return specs, nil
}

// layout indexes the executor's state tensors: the model's parameters and
// buffers (in model order), then the optimizer slots (per kind, per
// trainable parameter), then the EMA of every non-buffer parameter.
type layout struct {
	specs     []pspec
	kinds     []string // optimizer state kinds, e.g. "momentum" or "adam_m", "adam_v"
	trainable []int    // spec indexes of the trainable parameters
	weights   []int    // spec indexes of the non-buffer parameters
	scaleInv  []int    // spec indexes of the scale-invariant group
	ema       bool
}

func newLayout(specs []pspec, kinds []string, ema bool) layout {
	l := layout{specs: specs, kinds: kinds, ema: ema}
	for i, s := range specs {
		if s.trainable {
			l.trainable = append(l.trainable, i)
		}
		if !s.buffer {
			l.weights = append(l.weights, i)
		}
		if s.scaleInv {
			l.scaleInv = append(l.scaleInv, i)
		}
	}
	return l
}

// slot returns the state index of optimizer kind k for the j-th trainable parameter.
func (l layout) slot(k, j int) int { return len(l.specs) + k*len(l.trainable) + j }

// emaIndex returns the state index of the EMA of the j-th non-buffer parameter.
func (l layout) emaIndex(j int) int {
	return len(l.specs) + len(l.kinds)*len(l.trainable) + j
}

// size is the number of state tensors.
func (l layout) size() int {
	n := len(l.specs) + len(l.kinds)*len(l.trainable)
	if l.ema {
		n += len(l.weights)
	}
	return n
}

// updated reports whether a training step rewrites state index i (frozen
// weights are inputs only).
func (l layout) updated(i int) bool {
	return i >= len(l.specs) || l.specs[i].trainable || l.specs[i].buffer
}
