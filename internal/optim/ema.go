package optim

import (
	"fmt"

	"wdlab/internal/nn"
)

// EMA is the exponential moving average of a model's weights (paper, Section 2):
// after every optimizer step, w_ema = beta*w_ema + (1-beta)*w for every
// non-buffer parameter (trainable and frozen). It starts from the weights
// at construction, with no bias correction. Buffers (BN running
// statistics) are not averaged; the EMA model recomputes them.
//
// Every method taking params expects the same slice layout as NewEMA got
// (same order and names); anything else is a programming error and panics.
type EMA struct {
	Beta float64

	names   []string
	w       [][]float32 // aligned with the params given to NewEMA; nil for buffers
	updates int
}

// NewEMA starts an average at the current weights of params.
func NewEMA(params []*nn.Param, beta float64) *EMA {
	e := &EMA{Beta: beta, names: make([]string, len(params)), w: make([][]float32, len(params))}
	for i, p := range params {
		e.names[i] = p.Name
		if !p.Buffer {
			e.w[i] = append([]float32(nil), p.W...)
		}
	}
	return e
}

// Update folds the current weights into the average, per element in
// float32: ema = float32(beta*ema) + float32((1-beta)*w).
func (e *EMA) Update(params []*nn.Param) {
	e.check(params)
	b, c := float32(e.Beta), float32(1-e.Beta)
	for i, p := range params {
		avg := e.w[i]
		for j, w := range p.W[:len(avg)] {
			avg[j] = float32(b*avg[j]) + float32(c*w)
		}
	}
	e.updates++
}

// Updates returns how many times Update has run.
func (e *EMA) Updates() int { return e.updates }

// Weights returns the averaged weights aligned with the params given to
// NewEMA (nil for buffers). The slices are the EMA's own storage.
func (e *EMA) Weights() [][]float32 { return e.w }

// Swap exchanges the contents of the model's weights and the average for
// every non-buffer parameter. Calling it once lets the model run with the
// EMA weights; calling it again restores both exactly.
func (e *EMA) Swap(params []*nn.Param) {
	e.check(params)
	for i, p := range params {
		avg := e.w[i]
		for j := range avg {
			p.W[j], avg[j] = avg[j], p.W[j]
		}
	}
}

// CopyInto writes the averaged weights into params (for instance a separate
// evaluation copy of the model); buffers are left alone.
func (e *EMA) CopyInto(params []*nn.Param) {
	e.check(params)
	for i, p := range params {
		copy(p.W, e.w[i])
	}
}

// State returns "ema/<name>" for every non-buffer parameter and the update
// count under "step".
func (e *EMA) State() map[string][]float32 {
	s := map[string][]float32{StepKey: EncodeStep(e.updates)}
	for i, w := range e.w {
		if w != nil {
			s["ema/"+e.names[i]] = append([]float32(nil), w...)
		}
	}
	return s
}

// LoadState replaces the average with a copy of s, which must hold exactly
// the EMA's parameters with their lengths, and "step".
func (e *EMA) LoadState(s map[string][]float32) error {
	updates, err := stepOf(s)
	if err != nil {
		return err
	}
	for key := range s {
		if kind, name, ok := splitKey(key); key != StepKey && (!ok || kind != "ema" || !e.holds(name)) {
			return fmt.Errorf("optim: ema state key %q names no averaged parameter", key)
		}
	}
	for i, w := range e.w {
		if w == nil {
			continue
		}
		key := "ema/" + e.names[i]
		v, ok := s[key]
		if !ok {
			return fmt.Errorf("optim: ema state lacks %q", key)
		}
		if len(v) != len(w) {
			return fmt.Errorf("optim: ema state %q has %d values, parameter has %d", key, len(v), len(w))
		}
	}
	for i, w := range e.w {
		if w != nil {
			copy(w, s["ema/"+e.names[i]])
		}
	}
	e.updates = updates
	return nil
}

// holds reports whether name is an averaged (non-buffer) parameter.
func (e *EMA) holds(name string) bool {
	for i, n := range e.names {
		if n == name && e.w[i] != nil {
			return true
		}
	}
	return false
}

// check panics when params do not have the layout NewEMA saw.
func (e *EMA) check(params []*nn.Param) {
	if len(params) != len(e.names) {
		panic(fmt.Sprintf("optim: ema built for %d params, got %d", len(e.names), len(params)))
	}
	for i, p := range params {
		if p.Name != e.names[i] || (e.w[i] != nil && len(p.W) != len(e.w[i])) {
			panic(fmt.Sprintf("optim: ema param %d is %q (%d values), want %q", i, p.Name, len(p.W), e.names[i]))
		}
	}
}
