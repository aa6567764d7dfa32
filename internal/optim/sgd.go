package optim

import (
	"fmt"

	"wdlab/internal/nn"
)

// SGD is stochastic gradient descent with optional (Nesterov) momentum
// (dampening 0) and weight decay, matching torch.optim.SGD when Decoupled is
// false. Per element, in float32, for a trainable parameter:
//
//	d = g + float32(wd*w)            coupled (default), only if Decay and wd != 0
//	w = w * float32(1 - lr*wd)       decoupled instead, before the rest; d = g
//	b = d                            momentum, first step (PyTorch clones d;
//	                                 here b starts at 0, the same value)
//	b = float32(mu*b) + d            momentum, later steps
//	d = d + float32(mu*b)            Nesterov; otherwise d = b when mu != 0
//	w = w - float32(lr*d)
//
// With momentum 0 coupled and decoupled decay are the same update
// (1-lr*wd)w - lr*g (the paper's SGD with weight decay, Section 2) up to
// rounding. The zero value is plain SGD.
type SGD struct {
	Momentum  float64 // mu in [0, 1)
	Nesterov  bool    // needs Momentum > 0
	Decoupled bool    // decay as a separate shrink step instead of through the gradient

	momentum map[string][]float32
	steps    int
}

// Validate reports a hyper-parameter combination SGD cannot run.
func (o *SGD) Validate() error {
	if !(o.Momentum >= 0 && o.Momentum < 1) {
		return fmt.Errorf("optim: sgd momentum %v outside [0, 1)", o.Momentum)
	}
	if o.Nesterov && o.Momentum == 0 {
		return fmt.Errorf("optim: sgd nesterov needs momentum > 0")
	}
	return nil
}

// Name returns "sgd".
func (o *SGD) Name() string { return "sgd" }

func (o *SGD) kinds() []string {
	if o.Momentum == 0 {
		return nil
	}
	return []string{"momentum"}
}

// Step applies one SGD update; see the type comment for the formulas.
func (o *SGD) Step(params []*nn.Param, lr, wd float64) {
	o.steps++
	if o.momentum == nil {
		o.momentum = map[string][]float32{}
	}
	lr32, mu32, wd32 := float32(lr), float32(o.Momentum), float32(wd)
	shrink := float32(1 - lr*wd)
	for _, p := range params {
		if !p.Trainable() {
			continue
		}
		checkGrad(p)
		decay := p.Decay && wd != 0
		if decay && o.Decoupled {
			for i, w := range p.W {
				p.W[i] = w * shrink
			}
		}
		coupled := decay && !o.Decoupled
		if o.Momentum == 0 {
			for i, g := range p.G {
				w := p.W[i]
				if coupled {
					g += float32(wd32 * w)
				}
				p.W[i] = w - float32(lr32*g)
			}
			continue
		}
		buf := bufferFor(o.momentum, "momentum", p)
		for i, g := range p.G {
			w := p.W[i]
			if coupled {
				g += float32(wd32 * w)
			}
			b := float32(mu32*buf[i]) + g // buf starts at 0: b = g on the first step
			buf[i] = b
			d := b
			if o.Nesterov {
				d = g + float32(mu32*b)
			}
			p.W[i] = w - float32(lr32*d)
		}
	}
}

// State returns "momentum/<name>" buffers (when Momentum != 0) and "step".
func (o *SGD) State() map[string][]float32 {
	s := map[string][]float32{StepKey: EncodeStep(o.steps)}
	putBuffers(s, "momentum", o.momentum)
	return s
}

// LoadState replaces the state with a copy of s. Momentum buffers are
// rejected when Momentum is 0.
func (o *SGD) LoadState(s map[string][]float32) error {
	kinds := o.kinds()
	bufs, steps, err := parseBuffers(s, kinds...)
	if err != nil {
		return err
	}
	o.steps = steps
	o.momentum = map[string][]float32{}
	if len(kinds) > 0 {
		o.momentum = bufs["momentum"]
	}
	return nil
}
