package optim

import (
	"math"
	"math/rand"
	"strings"
	"testing"

	"wdlab/internal/nn"
)

// randomModel returns two decayed matrices, a non-decayed vector, a frozen
// parameter and a buffer with seeded random weights.
func randomModel(r *rand.Rand) []*nn.Param {
	mk := func(name string, n int, decay bool) *nn.Param {
		p := param(name, decay, make([]float32, n), make([]float32, n))
		for i := range p.W {
			p.W[i] = float32(r.NormFloat64())
		}
		return p
	}
	frozen := mk("head.weight", 3, true)
	frozen.Frozen = true
	buf := mk("bn.running_var", 4, false)
	buf.Buffer, buf.G = true, nil
	return []*nn.Param{mk("l1.weight", 7, true), mk("l2.weight", 5, true), mk("ln.gain", 4, false), frozen, buf}
}

func clone(ps []*nn.Param) []*nn.Param {
	out := make([]*nn.Param, len(ps))
	for i, p := range ps {
		q := *p
		q.W = append([]float32(nil), p.W...)
		q.G = append([]float32(nil), p.G...)
		out[i] = &q
	}
	return out
}

// step fills the gradients from r (scaled by k) and steps o.
func step(o Optimizer, ps []*nn.Param, r *rand.Rand, k int) {
	for _, p := range ps {
		for i := range p.G {
			p.G[i] = float32(r.NormFloat64())
		}
	}
	o.Step(ps, 0.01*float64(k), 0.1)
}

func TestStateRoundTripBitwise(t *testing.T) {
	makers := map[string]func() Optimizer{
		"sgd":           func() Optimizer { return &SGD{} },
		"sgd-momentum":  func() Optimizer { return &SGD{Momentum: 0.9} },
		"sgd-nesterov":  func() Optimizer { return &SGD{Momentum: 0.9, Nesterov: true, Decoupled: true} },
		"adamw":         func() Optimizer { return NewAdamW() },
		"adam-l2":       func() Optimizer { o := NewAdamW(); o.L2 = true; return o },
		"adamw-beta0.5": func() Optimizer { return &AdamW{Beta1: 0.5, Beta2: 0.5, Eps: 1e-3} },
	}
	for name, mk := range makers {
		r := rand.New(rand.NewSource(1))
		ps := randomModel(r)
		a := mk()
		for k := 1; k <= 3; k++ {
			step(a, ps, r, k)
		}
		saved := a.State()
		savedCopy := deepCopy(saved)
		resumed := clone(ps)
		b := mk()
		if err := Restore(b, resumed, saved); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		seed := r.Int63()
		ra, rb := rand.New(rand.NewSource(seed)), rand.New(rand.NewSource(seed))
		for k := 4; k <= 5; k++ {
			step(a, ps, ra, k)
			step(b, resumed, rb, k)
		}
		for i := range ps {
			for j := range ps[i].W {
				if math.Float32bits(ps[i].W[j]) != math.Float32bits(resumed[i].W[j]) {
					t.Fatalf("%s: %s[%d] = %v after resume, %v without", name, ps[i].Name, j, resumed[i].W[j], ps[i].W[j])
				}
			}
		}
		for k, v := range savedCopy {
			for j := range v {
				if math.Float32bits(v[j]) != math.Float32bits(saved[k][j]) {
					t.Fatalf("%s: saved state %q was modified by later steps", name, k)
				}
			}
		}
		if n, err := DecodeStep(b.State()[StepKey]); err != nil || n != 5 {
			t.Errorf("%s: step after resume = %d (%v), want 5", name, n, err)
		}
	}
}

func deepCopy(s map[string][]float32) map[string][]float32 {
	out := make(map[string][]float32, len(s))
	for k, v := range s {
		out[k] = append([]float32(nil), v...)
	}
	return out
}

func TestRestoreRejects(t *testing.T) {
	r := rand.New(rand.NewSource(2))
	ps := randomModel(r)
	adam := NewAdamW()
	step(adam, ps, r, 1)
	sgd := &SGD{Momentum: 0.9}
	step(sgd, ps, r, 1)
	cases := []struct {
		want  string
		o     Optimizer
		src   Optimizer
		spoil func(map[string][]float32)
	}{
		{`no trainable parameter named "nope"`, adam, adam, func(s map[string][]float32) { s["adam_m/nope"] = []float32{1} }},
		{`no trainable parameter named "head.weight"`, adam, adam, func(s map[string][]float32) { s["adam_m/head.weight"] = make([]float32, 3) }},
		{`"adam_v/l1.weight" has 6 values, parameter has 7`, adam, adam, func(s map[string][]float32) { s["adam_v/l1.weight"] = s["adam_v/l1.weight"][:6] }},
		{`lacks "adam_v/l2.weight"`, adam, adam, func(s map[string][]float32) { delete(s, "adam_v/l2.weight") }},
		{`not of the form kind/param`, adam, adam, func(s map[string][]float32) { s["junk"] = nil }},
		{`has 1 values, want 2`, adam, adam, func(s map[string][]float32) { s[StepKey] = []float32{3} }},
		{`not an integer`, adam, adam, func(s map[string][]float32) { s[StepKey] = []float32{-1, 0} }},
		{`no "step" entry`, adam, adam, func(s map[string][]float32) { delete(s, StepKey) }},
		{`kind "momentum" not kept`, adam, sgd, func(map[string][]float32) {}},
		{`not kept by this optimizer (want one of [momentum])`, sgd, adam, func(map[string][]float32) {}},
		{`kind "momentum" not kept`, &SGD{}, sgd, func(map[string][]float32) {}},
	}
	for _, c := range cases {
		s := c.src.State()
		c.spoil(s)
		if err := Restore(c.o, ps, s); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("want error containing %q, got %v", c.want, err)
		}
	}
	// LoadState alone checks the pairing of the Adam moments.
	s := adam.State()
	delete(s, "adam_m/l1.weight")
	if err := NewAdamW().LoadState(s); err == nil || !strings.Contains(err.Error(), "adam_v/l1.weight but no adam_m") {
		t.Errorf("unpaired moment: %v", err)
	}
}

func TestStepEncoding(t *testing.T) {
	for _, n := range []int{0, 1, 1<<24 - 1, 1 << 24, 123456789012, 1<<48 - 1} {
		got, err := DecodeStep(EncodeStep(n))
		if err != nil || got != n {
			t.Errorf("round trip of %d: %d, %v", n, got, err)
		}
	}
	if _, err := DecodeStep([]float32{float32(math.NaN()), 0}); err == nil {
		t.Error("NaN word accepted")
	}
	if _, err := DecodeStep([]float32{0, 1 << 24}); err == nil {
		t.Error("high word 2^24 accepted")
	}
}
