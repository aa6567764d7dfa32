package xla

import (
	"math"
	"strings"
	"testing"

	"wdlab/internal/nn"
	"wdlab/internal/nn/nntest"
	"wdlab/internal/optim"
)

// The in-graph EMA follows optim.EMA, starting from its current average.
func TestEMAMatchesNative(t *testing.T) {
	d := tinyMLP(t)
	m := nntest.Model(t, d, 7)
	ema := optim.NewEMA(m.Params(), 0.8)
	opt := &optim.SGD{Momentum: 0.9}
	e := newExec(t, d, m.Params(), Config{Optimizer: &optim.SGD{Momentum: 0.9}, EMA: optim.NewEMA(m.Params(), 0.8)})
	for s := range 3 {
		x, y := nntest.Batch(d, 8, uint64(20+s))
		if _, err := e.TrainStep(x, y, 8, 0.1, 0.01); err != nil {
			t.Fatal(err)
		}
		m.LossGrads(x, y, 8)
		opt.Step(m.Params(), 0.1, 0.01)
		ema.Update(m.Params())
	}
	st, err := e.EMAState()
	if err != nil {
		t.Fatal(err)
	}
	want := ema.State()
	if len(st) != len(want) || optim.EncodeStep(3)[0] != st[optim.StepKey][0] {
		t.Fatalf("ema state: %d entries, step %v; want %d entries, step 3", len(st), st[optim.StepKey], len(want))
	}
	for k, v := range want {
		if r := relErr(st[k], v, 1e-3); r > 1e-4 || math.IsNaN(r) {
			t.Errorf("ema %s: rel err %.2e", k, r)
		}
	}
	avg := nntest.Model(t, d, 99)
	if err := e.ReadEMA(avg.Params()); err != nil {
		t.Fatal(err)
	}
	for i, w := range ema.Weights() {
		if w != nil {
			if r := relErr(avg.Params()[i].W, w, 1e-3); r > 1e-4 {
				t.Errorf("ReadEMA %s: rel err %.2e", avg.Params()[i].Name, r)
			}
		}
	}
}

// Forward matches the native engine in Eval, Train and Recalibrate modes,
// including the running statistics Train and Recalibrate leave behind.
func TestForwardModesMatchNative(t *testing.T) {
	d := tinyResNet(t)
	m := nntest.Model(t, d, 11)
	e := newExec(t, d, m.Params(), Config{})
	// Give the running statistics non-trivial values first.
	for s := range 2 {
		x, _ := nntest.Batch(d, 6, uint64(30+s))
		got, err := e.Forward(x, 6, false)
		if err != nil {
			t.Fatal(err)
		}
		want := m.Forward(&nn.Tensor{Shape: []int{6, 8, 8, 3}, Data: x}, nn.Train)
		if r := relErr(got, want.Data, 1e-3); r > 1e-4 {
			t.Errorf("train forward %d: rel err %.2e", s, r)
		}
	}
	x, _ := nntest.Batch(d, 5, 40)
	got, err := e.Forward(x, 5, true)
	if err != nil {
		t.Fatal(err)
	}
	if r := relErr(got, m.Forward(&nn.Tensor{Shape: []int{5, 8, 8, 3}, Data: x}, nn.Eval).Data, 1e-3); r > 1e-4 {
		t.Errorf("eval forward: rel err %.2e", r)
	}
	e.ResetBNStats()
	for _, b := range m.BatchNorms() {
		b.ResetStats()
	}
	for s, n := range []int{4, 7} {
		x, _ := nntest.Batch(d, n, uint64(50+s))
		if _, err := e.ForwardMode(x, n, nn.Recalibrate); err != nil {
			t.Fatal(err)
		}
		m.Forward(&nn.Tensor{Shape: []int{n, 8, 8, 3}, Data: x}, nn.Recalibrate)
	}
	out := nntest.Model(t, d, 99)
	if err := e.ReadParams(out.Params()); err != nil {
		t.Fatal(err)
	}
	compareParams(t, "after recalibration", out.Params(), m.Params(), 1e-4)
}

// A run can move between executors: parameters and optimizer state read
// out of one executor after two steps and loaded into the native engine
// (and back into a fresh executor) continue identically.
func TestCheckpointHandOver(t *testing.T) {
	d := tinyResNet(t)
	m := nntest.Model(t, d, 13)
	e := newExec(t, d, m.Params(), Config{Optimizer: &optim.SGD{Momentum: 0.9}})
	batches := make([][]float32, 3)
	labels := make([][]int32, 3)
	for s := range batches {
		batches[s], labels[s] = nntest.Batch(d, 8, uint64(60+s))
	}
	for s := range 2 {
		if _, err := e.TrainStep(batches[s], labels[s], 8, 0.1, 5e-3); err != nil {
			t.Fatal(err)
		}
	}
	// Executor -> native.
	if err := e.ReadParams(m.Params()); err != nil {
		t.Fatal(err)
	}
	st, err := e.OptimizerState()
	if err != nil {
		t.Fatal(err)
	}
	opt := &optim.SGD{Momentum: 0.9}
	if err := optim.Restore(opt, m.Params(), st); err != nil {
		t.Fatal(err)
	}
	// Native -> a fresh executor, with the restored optimizer.
	e2 := newExec(t, d, m.Params(), Config{Optimizer: opt})
	if e2.Steps() != 2 {
		t.Errorf("restored executor at step %d, want 2", e2.Steps())
	}
	for _, ex := range []*Executor{e, e2} {
		if _, err := ex.TrainStep(batches[2], labels[2], 8, 0.1, 5e-3); err != nil {
			t.Fatal(err)
		}
	}
	m.LossGrads(batches[2], labels[2], 8)
	opt.Step(m.Params(), 0.1, 5e-3)
	for i, ex := range []*Executor{e, e2} {
		out := nntest.Model(t, d, 99)
		if err := ex.ReadParams(out.Params()); err != nil {
			t.Fatal(err)
		}
		compareParams(t, []string{"continued executor", "restored executor"}[i], out.Params(), m.Params(), 1e-4)
	}
}

// Bad input gives clear errors, not panics.
func TestErrors(t *testing.T) {
	d := tinyMLP(t)
	m := nntest.Model(t, d, 1)
	cases := []struct {
		name, want string
		run        func() error
	}{
		{"unknown backend", "want \"go\"", func() error { _, err := NewWithConfig(d, m.Params(), Config{Backend: "tpu"}); return err }},
		{"relative plugin path", "xla backend", func() error { _, err := NewWithConfig(d, m.Params(), Config{Backend: "xla:cuda"}); return err }},
		{"missing parameter", "missing", func() error { _, err := NewWithConfig(d, m.Params()[1:], Config{Backend: "go"}); return err }},
		{"bad conv mode", "conv mode", func() error {
			_, err := NewWithConfig(d, m.Params(), Config{Backend: "go", Conv: "fft"})
			return err
		}},
		{"bad momentum", "momentum", func() error {
			_, err := NewWithConfig(d, m.Params(), Config{Backend: "go", Optimizer: &optim.SGD{Momentum: 1}})
			return err
		}},
	}
	e := newExec(t, d, m.Params(), Config{})
	x, y := nntest.Batch(d, 4, 2)
	cases = append(cases,
		struct {
			name, want string
			run        func() error
		}{"label out of range", "outside", func() error { _, err := e.TrainStep(x, []int32{0, 1, 9, 0}, 4, 0.1, 0); return err }},
		struct {
			name, want string
			run        func() error
		}{"short batch", "needs", func() error { _, err := e.TrainStep(x[:10], y, 4, 0.1, 0); return err }},
		struct {
			name, want string
			run        func() error
		}{"no ema", "no EMA", func() error { _, err := e.EMAState(); return err }},
	)
	for _, c := range cases {
		err := c.run()
		if err == nil {
			t.Errorf("%s: no error", c.name)
		} else if !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %q lacks %q", c.name, err, c.want)
		}
	}
}
