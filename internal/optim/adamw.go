package optim

import (
	"fmt"
	"math"

	"wdlab/internal/nn"
)

// AdamW is PyTorch's AdamW (paper, Section 3) in the operation order of
// its fused CUDA kernel, which the paper's LM runs used. With step count t (shared by all
// parameters, incremented once per Step) and, per element in float32:
//
//	w = w * float32(1 - lr*wd)                 only Decay params, skipped when L2
//	g = g + float32(wd*w)                      only Decay params, only when L2
//	m = float32(b1*m) + float32((1-b1)*g)
//	v = float32(b2*v) + float32(float32((1-b2)*g)*g)
//	denom = float32(sqrt(v) / sqrt(1-b2^t)) + eps
//	w = w - float32(float32((lr/(1-b1^t))*m) / denom)
//
// The fused kernel writes the decay as w - lr*wd*w; the multiplicative
// form is used here (they differ by at most one rounding). With L2 set the
// optimizer is Adam with an L2 penalty: the decay enters the gradient and
// there is no decoupled shrink. The paper's Adam+L2 runs add the gradient
// of l2_reg*||w||^2 before clipping, i.e. wd = 2*l2_reg: a loop that clips
// calls AddPenalty before clipping, and the next Step then leaves the
// gradient as it is; without AddPenalty, Step adds the term itself.
type AdamW struct {
	Beta1, Beta2, Eps float64
	L2                bool // Adam with L2 penalty instead of decoupled decay

	m, v  map[string][]float32
	steps int
	// penalized: AddPenalty put the L2 term into the gradients of the next Step.
	penalized bool
}

// NewAdamW returns AdamW with the paper's (0.9, 0.95) betas and eps 1e-8.
func NewAdamW() *AdamW { return &AdamW{Beta1: 0.9, Beta2: 0.95, Eps: 1e-8} }

// Validate reports hyper-parameters AdamW cannot run.
func (o *AdamW) Validate() error {
	for _, b := range []float64{o.Beta1, o.Beta2} {
		if !(b >= 0 && b < 1) {
			return fmt.Errorf("optim: adam beta %v outside [0, 1)", b)
		}
	}
	if !(o.Eps > 0) {
		return fmt.Errorf("optim: adam eps %v must be > 0", o.Eps)
	}
	return nil
}

// Name returns "adamw", or "adam_l2" when L2 is set.
func (o *AdamW) Name() string {
	if o.L2 {
		return "adam_l2"
	}
	return "adamw"
}

func (o *AdamW) kinds() []string { return []string{"adam_m", "adam_v"} }

// AddPenalty adds the L2 gradient float32(wd*w) to every trainable Decay
// parameter's gradient when L2 is set (and does nothing otherwise), so
// that clipping and the gradient norm see the full gradient; the next Step
// does not add it again.
func (o *AdamW) AddPenalty(params []*nn.Param, wd float64) {
	if !o.L2 || wd == 0 {
		return
	}
	wd32 := float32(wd)
	for _, p := range params {
		if !p.Trainable() || !p.Decay {
			continue
		}
		for i, w := range p.W {
			p.G[i] += float32(wd32 * w)
		}
	}
	o.penalized = true
}

// Step applies one AdamW (or Adam+L2) update; see the type comment.
func (o *AdamW) Step(params []*nn.Param, lr, wd float64) {
	o.steps++
	addL2 := o.L2 && !o.penalized
	o.penalized = false
	if o.m == nil {
		o.m, o.v = map[string][]float32{}, map[string][]float32{}
	}
	t := float64(o.steps)
	bc1 := 1 - math.Pow(o.Beta1, t)
	bc2 := 1 - math.Pow(o.Beta2, t)
	b1, c1 := float32(o.Beta1), float32(1-o.Beta1)
	b2, c2 := float32(o.Beta2), float32(1-o.Beta2)
	stepSize := float32(lr / bc1)
	bc2Sqrt := float32(math.Sqrt(bc2))
	eps := float32(o.Eps)
	wd32 := float32(wd)
	shrink := float32(1 - lr*wd)
	for _, p := range params {
		if !p.Trainable() {
			continue
		}
		checkGrad(p)
		m := bufferFor(o.m, "adam_m", p)
		v := bufferFor(o.v, "adam_v", p)
		decay := p.Decay && wd != 0
		for i, g := range p.G {
			w := p.W[i]
			if decay {
				if addL2 {
					g += float32(wd32 * w)
				} else if !o.L2 {
					w *= shrink
				}
			}
			mi := float32(b1*m[i]) + float32(c1*g)
			vi := float32(b2*v[i]) + float32(float32(c2*g)*g)
			m[i], v[i] = mi, vi
			denom := float32(sqrt32(vi)/bc2Sqrt) + eps
			p.W[i] = w - float32(float32(stepSize*mi)/denom)
		}
	}
}

// sqrt32 is the correctly rounded float32 square root.
func sqrt32(x float32) float32 { return float32(math.Sqrt(float64(x))) }

// AdamELR is the LM code's avg_adam_elr (the authors' code): the mean over every
// scalar of the trainable params that have Adam state of
// lr/(sqrt(v)+eps), with the raw (not bias-corrected) second moment v.
// It returns 0 before the first step.
func (o *AdamW) AdamELR(params []*nn.Param, lr float64) float64 {
	sum, n := 0.0, 0
	for _, p := range params {
		if !p.Trainable() {
			continue
		}
		v, ok := o.v[p.Name]
		if !ok {
			continue
		}
		for _, x := range v {
			sum += lr / (math.Sqrt(float64(x)) + o.Eps)
		}
		n += len(v)
	}
	if n == 0 {
		return 0
	}
	return sum / float64(n)
}

// State returns "adam_m/<name>", "adam_v/<name>" and "step".
func (o *AdamW) State() map[string][]float32 {
	s := map[string][]float32{StepKey: EncodeStep(o.steps)}
	putBuffers(s, "adam_m", o.m)
	putBuffers(s, "adam_v", o.v)
	return s
}

// LoadState replaces the state with a copy of s; every adam_m buffer must
// have an adam_v buffer of the same length and vice versa.
func (o *AdamW) LoadState(s map[string][]float32) error {
	bufs, steps, err := parseBuffers(s, o.kinds()...)
	if err != nil {
		return err
	}
	m, v := bufs["adam_m"], bufs["adam_v"]
	for name, mb := range m {
		vb, ok := v[name]
		if !ok {
			return fmt.Errorf("optim: state has adam_m/%s but no adam_v/%s", name, name)
		}
		if len(vb) != len(mb) {
			return fmt.Errorf("optim: adam_m/%s has %d values, adam_v/%s has %d", name, len(mb), name, len(vb))
		}
	}
	for name := range v {
		if _, ok := m[name]; !ok {
			return fmt.Errorf("optim: state has adam_v/%s but no adam_m/%s", name, name)
		}
	}
	o.m, o.v, o.steps = m, v, steps
	return nil
}
