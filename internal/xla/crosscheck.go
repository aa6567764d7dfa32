package xla

import (
	"fmt"
	"math"
	"math/rand/v2"

	"wdlab/internal/nn"
	"wdlab/internal/optim"
)

// CheckResult compares the executor with the native engine on one model.
type CheckResult struct {
	Loss, NativeLoss float64 // initial mini-batch loss on each executor
	// GradRelErr is the largest ||g - g_native|| / ||g_native|| over the
	// parameters whose native gradient norm is at least 1e-6 (a conv bias
	// feeding BN has a zero gradient: rounding noise on both sides).
	GradRelErr float64
	GradWorst  string
	// ParamRelErr is the largest ||w - w_native|| / max(||w_native||, 1e-3)
	// over parameters and BN running statistics after Steps SGD steps
	// (momentum 0.9, lr 0.05, wd 5e-4).
	ParamRelErr float64
	ParamWorst  string
	Steps       int
}

// CrossCheck initialises desc with seed, then on backend (with conv mode
// conv) and on the native engine computes the loss and gradients of one
// random batch and runs steps SGD steps on further random batches of the
// given size, and reports the largest differences.
func CrossCheck(desc nn.Desc, backend, conv string, batch, steps int, seed uint64) (CheckResult, error) {
	r := CheckResult{Steps: steps}
	if batch < 2 || steps < 0 {
		return r, fmt.Errorf("xla: cross-check needs batch >= 2 and steps >= 0, got %d and %d", batch, steps)
	}
	m, err := nn.Build(desc)
	if err != nil {
		return r, fmt.Errorf("xla: cross-check: %w", err)
	}
	m.Init(seed)
	e, err := NewWithConfig(desc, m.Params(), Config{Backend: backend, Conv: conv, Optimizer: &optim.SGD{Momentum: 0.9}})
	if err != nil {
		return r, err
	}
	defer e.Close()
	rng := rand.New(rand.NewPCG(seed, 7))
	x, y := make([]float32, batch*e.inDim), make([]int32, batch)
	fill := func() {
		for i := range x {
			x[i] = float32(rng.NormFloat64())
		}
		for i := range y {
			y[i] = int32(rng.IntN(desc.Classes))
		}
	}
	fill()
	var grads map[string][]float32
	if r.Loss, grads, err = e.Gradients(x, y, batch); err != nil {
		return r, err
	}
	r.NativeLoss = m.LossGrads(x, y, batch)
	for _, p := range m.Weights() {
		if n := l2(p.G); n >= 1e-6 {
			if d := l2diff(grads[p.Name], p.G) / n; worse(d, r.GradRelErr) {
				r.GradRelErr, r.GradWorst = d, p.Name
			}
		}
	}
	// The native Train forward updated its BN running statistics; Gradients
	// changes no state, so hand the native ones over.
	if err := e.WriteParams(m.Params()); err != nil {
		return r, err
	}
	opt := &optim.SGD{Momentum: 0.9}
	const lr, wd = 0.05, 5e-4
	for range steps {
		fill()
		if _, err := e.TrainStep(x, y, batch, lr, wd); err != nil {
			return r, err
		}
		m.LossGrads(x, y, batch)
		opt.Step(m.Params(), lr, wd)
	}
	out, err := nn.Build(desc)
	if err != nil {
		return r, err
	}
	err = r.compareParams(e.ReadParams, out.Params(), m.Params())
	return r, err
}

// compareParams reads the executor's parameters into got (read) and
// records the largest relative difference from want.
func (r *CheckResult) compareParams(read func([]*nn.Param) error, got, want []*nn.Param) error {
	if err := read(got); err != nil {
		return err
	}
	for i, p := range want {
		if d := l2diff(got[i].W, p.W) / math.Max(l2(p.W), 1e-3); worse(d, r.ParamRelErr) {
			r.ParamRelErr, r.ParamWorst = d, p.Name
		}
	}
	return nil
}

// l2 is the Euclidean norm of v.
func l2(v []float32) float64 {
	s := 0.0
	for _, x := range v {
		s += float64(x) * float64(x)
	}
	return math.Sqrt(s)
}

// l2diff is the Euclidean norm of a-b.
func l2diff(a, b []float32) float64 {
	s := 0.0
	for i := range b {
		d := float64(a[i]) - float64(b[i])
		s += d * d
	}
	return math.Sqrt(s)
}

// worse reports whether error d beats the current worst cur (NaN is the
// worst and sticks).
func worse(d, cur float64) bool {
	return !math.IsNaN(cur) && (math.IsNaN(d) || d > cur)
}
