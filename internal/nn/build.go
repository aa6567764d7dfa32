package nn

import "fmt"

// Build turns a description into a native model with uninitialised
// parameters; call Init to fill them. Parameters of every non-frozen op get
// Decay = true (vision: coupled WD on all trainable parameters).
func Build(d Desc) (*Model, error) {
	if len(d.Input) == 0 {
		return nil, fmt.Errorf("model %q: empty input shape", d.Name)
	}
	b := &builder{}
	root, shape, err := b.seq(d.Ops, "", append([]int(nil), d.Input...))
	if err != nil {
		return nil, fmt.Errorf("model %q: %w", d.Name, err)
	}
	if d.Classes > 0 && (len(shape) != 1 || shape[0] != d.Classes) {
		return nil, fmt.Errorf("model %q: output shape %v, want [%d]", d.Name, shape, d.Classes)
	}
	m := &Model{Desc: d, Root: root, params: root.Params()}
	seen := map[string]bool{}
	for _, p := range m.params {
		if seen[p.Name] {
			return nil, fmt.Errorf("model %q: duplicate parameter name %q", d.Name, p.Name)
		}
		seen[p.Name] = true
	}
	return m, nil
}

type builder struct{}

// seq builds a list of ops starting from per-example shape in (without N).
func (b *builder) seq(ops []OpDesc, prefix string, in []int) (*Sequential, []int, error) {
	s := &Sequential{}
	shape := in
	for i, op := range ops {
		name := OpName(prefix, i, op)
		l, out, err := b.op(op, name, shape)
		if err != nil {
			return nil, nil, fmt.Errorf("%s (%s): %w", name, op.Kind, err)
		}
		s.Layers = append(s.Layers, l)
		shape = out
	}
	return s, shape, nil
}

func (b *builder) op(op OpDesc, name string, in []int) (Layer, []int, error) {
	switch op.Kind {
	case OpConv:
		if len(in) != 3 {
			return nil, nil, fmt.Errorf("needs [H W C] input, got %v", in)
		}
		k, st := op.Kernel, max(op.Stride, 1)
		if k <= 0 || op.Out <= 0 || op.Pad < 0 {
			return nil, nil, fmt.Errorf("bad kernel %d / out %d / pad %d", k, op.Out, op.Pad)
		}
		oh, ow := (in[0]+2*op.Pad-k)/st+1, (in[1]+2*op.Pad-k)/st+1
		if oh <= 0 || ow <= 0 {
			return nil, nil, fmt.Errorf("input %v too small", in)
		}
		c := NewConv2D(name, in[2], op.Out, k, st, op.Pad, op.Bias)
		c.InitRule = op.Init
		markParams(c.Params(), op)
		return c, []int{oh, ow, op.Out}, nil
	case OpBN:
		bn := NewBatchNorm(name, in[len(in)-1], op.Affine)
		markParams(bn.Params(), op)
		return bn, in, nil
	case OpReLU:
		return &ReLU{}, in, nil
	case OpLinear:
		d := numel(in)
		if op.Out <= 0 {
			return nil, nil, fmt.Errorf("bad out %d", op.Out)
		}
		l := NewLinear(name, d, op.Out, op.Bias)
		markParams(l.Params(), op)
		return l, []int{op.Out}, nil
	case OpAvgPool, OpMaxPool:
		if len(in) != 3 || op.Kernel <= 0 || in[0] < op.Kernel || in[1] < op.Kernel {
			return nil, nil, fmt.Errorf("pool %d does not fit input %v", op.Kernel, in)
		}
		return &Pool2D{K: op.Kernel, Max: op.Kind == OpMaxPool}, []int{in[0] / op.Kernel, in[1] / op.Kernel, in[2]}, nil
	case OpGAP:
		if len(in) != 3 {
			return nil, nil, fmt.Errorf("needs [H W C] input, got %v", in)
		}
		return &GlobalAvgPool{}, []int{in[2]}, nil
	case OpFlatten:
		return &Flatten{}, []int{numel(in)}, nil
	case OpNormalize:
		if len(op.Mean) != in[len(in)-1] || len(op.Std) != len(op.Mean) {
			return nil, nil, fmt.Errorf("%d means and %d stds for %d channels", len(op.Mean), len(op.Std), in[len(in)-1])
		}
		for _, s := range op.Std {
			if !(s > 0) {
				return nil, nil, fmt.Errorf("std %v is not positive", s)
			}
		}
		return &Normalize{Mean: op.Mean, Std: op.Std}, in, nil
	case OpResidual:
		pre, a, err := b.seq(op.Pre, name, in)
		if err != nil {
			return nil, nil, err
		}
		body, out, err := b.seq(op.Body, name, a)
		if err != nil {
			return nil, nil, err
		}
		r := &Residual{Pre: pre, Body: body}
		skip := in
		if len(op.Shortcut) > 0 {
			if r.Shortcut, skip, err = b.seq(op.Shortcut, name, a); err != nil {
				return nil, nil, err
			}
		}
		if fmt.Sprint(skip) != fmt.Sprint(out) {
			return nil, nil, fmt.Errorf("body output %v does not match shortcut %v", out, skip)
		}
		return r, out, nil
	}
	return nil, nil, fmt.Errorf("unknown op kind %q", op.Kind)
}

// markParams applies the op's flags to its parameters.
func markParams(ps []*Param, op OpDesc) {
	for _, p := range ps {
		if p.Buffer {
			continue
		}
		p.Frozen = op.Frozen
		p.Decay = !op.Frozen
		p.ScaleInv = op.ScaleInv
	}
}
