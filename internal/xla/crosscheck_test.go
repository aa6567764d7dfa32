package xla

import (
	"math"
	"testing"

	"wdlab/internal/nn"
	"wdlab/internal/nn/nntest"
	"wdlab/internal/optim"
)

// The same parameters and batch give the same loss and gradients on both
// executors, for both convolution formulations.
func TestGradientsMatchNative(t *testing.T) {
	cases := []struct {
		name string
		desc func(*testing.T) nn.Desc
		conv string
	}{
		{"resnet-im2col", tinyResNet, ConvIm2col},
		{"resnet-native-conv", tinyResNet, ConvNative},
		{"bn-mlp", tinyMLP, ""},
		{"resnet-scale-inv", tinyResNetSI, ""},
		{"poolnet", func(*testing.T) nn.Desc { return poolNet() }, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := c.desc(t)
			m := nntest.Model(t, d, 3)
			x, y := nntest.Batch(d, 8, 4)
			e := newExec(t, d, m.Params(), Config{Conv: c.conv})
			loss, grads, err := e.Gradients(x, y, 8)
			if err != nil {
				t.Fatal(err)
			}
			want := m.LossGrads(x, y, 8)
			if math.Abs(loss-want) > 1e-4*math.Abs(want) {
				t.Errorf("loss %v, native %v", loss, want)
			}
			if len(grads) != len(m.Weights()) {
				t.Fatalf("%d gradients, want %d", len(grads), len(m.Weights()))
			}
			for _, p := range m.Weights() {
				// The bias of a conv feeding BN has a zero gradient: both
				// executors give rounding noise, so only its size is checked.
				if l2(p.G) < 1e-6 {
					if l2(grads[p.Name]) > 1e-5 {
						t.Errorf("grad %s: norm %.2e, native %.2e (zero up to rounding)", p.Name, l2(grads[p.Name]), l2(p.G))
					}
					continue
				}
				if r := relErr(grads[p.Name], p.G, 0); r > 1e-4 || math.IsNaN(r) {
					t.Errorf("grad %s: rel err %.2e", p.Name, r)
				}
			}
		})
	}
}

// Three optimizer steps give the same parameters, BN running statistics,
// losses and optimizer state on both executors.
func TestStepsMatchNative(t *testing.T) {
	cases := []struct {
		name string
		desc func(*testing.T) nn.Desc
		opt  func() optim.Optimizer
		lr   float64
	}{
		{"resnet-sgd", tinyResNet, func() optim.Optimizer { return &optim.SGD{} }, 0.1},
		{"resnet-sgd-momentum", tinyResNet, func() optim.Optimizer { return &optim.SGD{Momentum: 0.9} }, 0.1},
		{"resnet-si-sgd-momentum", tinyResNetSI, func() optim.Optimizer { return &optim.SGD{Momentum: 0.9} }, 0.1},
		{"poolnet-sgd-momentum", func(*testing.T) nn.Desc { return poolNet() }, func() optim.Optimizer { return &optim.SGD{Momentum: 0.9} }, 0.1},
		{"mlp-sgd", tinyMLP, func() optim.Optimizer { return &optim.SGD{} }, 0.1},
		{"mlp-sgd-momentum", tinyMLP, func() optim.Optimizer { return &optim.SGD{Momentum: 0.9} }, 0.1},
		{"mlp-sgd-nesterov-decoupled", tinyMLP, func() optim.Optimizer { return &optim.SGD{Momentum: 0.9, Nesterov: true, Decoupled: true} }, 0.1},
		{"mlp-adamw", tinyMLP, func() optim.Optimizer { return optim.NewAdamW() }, 0.01},
		{"mlp-adam-l2", tinyMLP, func() optim.Optimizer { a := optim.NewAdamW(); a.L2 = true; return a }, 0.01},
	}
	const wd, n = 0.05, 8
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := c.desc(t)
			m := nntest.Model(t, d, 5)
			nativeOpt := c.opt()
			e := newExec(t, d, m.Params(), Config{Optimizer: c.opt()})
			for s := range 3 {
				x, y := nntest.Batch(d, n, uint64(10+s))
				got, err := e.TrainStep(x, y, n, c.lr, wd)
				if err != nil {
					t.Fatal(err)
				}
				want := m.LossGrads(x, y, n)
				prev := optim.SnapshotParams(m.Params(), isScaleInv)
				nativeOpt.Step(m.Params(), c.lr, wd)
				if math.Abs(got-want) > 1e-4*math.Abs(want) {
					t.Errorf("step %d: loss %v, native %v", s, got, want)
				}
				wantAng := optim.AngularUpdate(prev, optim.SnapshotParams(m.Params(), isScaleInv))
				if ang := e.AngularUpdate(); !(math.Abs(ang-wantAng) <= 1e-3*wantAng) && !(math.IsNaN(ang) && math.IsNaN(wantAng)) {
					t.Errorf("step %d: angular update %v, native %v", s, ang, wantAng)
				}
			}
			out := nntest.Model(t, d, 99)
			if err := e.ReadParams(out.Params()); err != nil {
				t.Fatal(err)
			}
			compareParams(t, "after 3 steps", out.Params(), m.Params(), 1e-4)
			st, err := e.OptimizerState()
			if err != nil {
				t.Fatal(err)
			}
			ns := nativeOpt.State()
			if len(st) != len(ns) {
				t.Fatalf("optimizer state has %d entries, native %d", len(st), len(ns))
			}
			for k, v := range ns {
				if r := relErr(st[k], v, 1e-6); r > 2e-4 || math.IsNaN(r) {
					t.Errorf("optimizer state %s: rel err %.2e", k, r)
				}
			}
		})
	}
}

// CrossCheck reports agreement on the Go backend and rejects batch 1.
func TestCrossCheck(t *testing.T) {
	d := tinyResNet(t)
	r, err := CrossCheck(d, "go", "", 6, 2, 1)
	if err != nil {
		t.Fatal(err)
	}
	if r.GradRelErr > 1e-4 || r.ParamRelErr > 1e-4 || math.Abs(r.Loss-r.NativeLoss) > 1e-4*r.NativeLoss || r.GradWorst == "" {
		t.Errorf("cross-check: %+v", r)
	}
	if _, err := CrossCheck(d, "go", "", 1, 2, 1); err == nil {
		t.Error("batch 1: no error")
	}
}
