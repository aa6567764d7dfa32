package equilibrium

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"testing"

	"wdlab/internal/data"
	"wdlab/internal/nn"
	"wdlab/internal/runio"
)

// The SI-MLP's gradient is orthogonal to each hidden layer's weights
// (<grad, w> = 0: scale invariance, paper Section 2) and its head is frozen.
func TestSIMLPIsScaleInvariant(t *testing.T) {
	desc, err := SIMLP([]int{8, 8, 1}, []int{12, 10}, 4)
	if err != nil {
		t.Fatal(err)
	}
	m, err := nn.Build(desc)
	if err != nil {
		t.Fatal(err)
	}
	m.Init(3)
	d := data.Synthetic(32, 8, 8, 1, 4, 1)
	x := &nn.Tensor{Shape: []int{32, 8, 8, 1}, Data: d.X}
	_, _, g := nn.SoftmaxCE(m.Forward(x, nn.Train), d.Y, nil)
	m.ZeroGrad()
	m.Backward(g)
	si := 0
	for _, p := range m.Weights() {
		if p.Name == "head.weight" || p.Name == "head.bias" {
			if !p.Frozen || p.ScaleInv {
				t.Errorf("%s: frozen %v, scale-invariant %v", p.Name, p.Frozen, p.ScaleInv)
			}
			continue
		}
		if !p.ScaleInv {
			t.Errorf("%s is not in the scale-invariant group", p.Name)
		}
		si++
		var dot, gn, wn float64
		for i, w := range p.W {
			dot += float64(w) * float64(p.G[i])
			gn += float64(p.G[i]) * float64(p.G[i])
			wn += float64(w) * float64(w)
		}
		if c := math.Abs(dot) / math.Sqrt(gn*wn); c > 1e-3 {
			t.Errorf("%s: cos(grad, w) = %v, want 0", p.Name, c)
		}
	}
	if si != 2 {
		t.Errorf("%d scale-invariant tensors, want 2", si)
	}
}

// Cells pairs every learning rate with wd = product/lr and sizes the runs
// in units of lr*wd*steps.
func TestCells(t *testing.T) {
	p := Plan{LRs: []float64{0.1, 0.4}, Products: []float64{1e-3}, BurnIn: 1.5, Window: 0.5, MinWindow: 10}
	cells := p.Cells()
	if len(cells) != 2 {
		t.Fatalf("%d cells", len(cells))
	}
	c := cells[1]
	if c.LR != 0.4 || math.Abs(c.WD-0.0025) > 1e-15 || c.Window != 500 || c.Steps != 2000 || c.Name != "lr0.4_wd0.0025" {
		t.Errorf("cell %+v, want lr 0.4 wd 0.0025, 2000 steps, window 500", c)
	}
	if _, err := PlanFor("huge"); err == nil {
		t.Error("unknown scale accepted")
	}
	for _, s := range Scales() {
		q, err := PlanFor(s)
		if err != nil || q.validate() != nil {
			t.Errorf("scale %s: %v / %v", s, err, q.validate())
		}
	}
}

// A law passes within its relative tolerance and fails outside it; groups
// report max/min ratios.
func TestApplyLaws(t *testing.T) {
	mk := func(name string, lr, wd, angle, ce float64) Cell {
		return Cell{Name: name, LR: lr, WD: wd, Product: lr * wd, AngleRMS: angle, TrainCE: ce, EvalTrainCE: ce,
			GradSqUnit: 2 * wd / lr, W4: 1, EllPrime2: wd / lr, EllRatio: 1}
	}
	p := 1e-3
	cells := []Cell{mk("a", 0.1, p/0.1, math.Sqrt(2*p)*1.1, 0.5), mk("b", 0.2, p/0.2, math.Sqrt(2*p)*1.2, 0.6), {Name: "c", Diverged: true}}
	sums, groups, ell := applyLaws(cells)
	if !cells[0].Laws["angle"].Pass || cells[1].Laws["angle"].Pass {
		t.Errorf("angle law: %+v, %+v", cells[0].Laws["angle"], cells[1].Laws["angle"])
	}
	if !cells[0].Laws["norm"].Pass || cells[0].Laws["norm"].Predicted != 1 {
		t.Errorf("norm law: %+v", cells[0].Laws["norm"])
	}
	if sums[0].Passed != 1 || sums[0].Total != 2 || sums[1].Passed != 2 || sums[0].RequiredTotal != 2 || sums[2].RequiredTotal != 0 {
		t.Errorf("summaries %+v", sums)
	}
	if len(groups) != 1 || math.Abs(groups[0].AngleRatio-1.2/1.1) > 1e-12 || math.Abs(groups[0].TrainCERatio-1.2) > 1e-12 {
		t.Errorf("groups %+v", groups)
	}
	if l := cells[0].Laws["ell_prime"]; l.Required || !l.Pass || math.Abs(l.Predicted-cells[0].EllPrime2) > 1e-15 {
		t.Errorf("ell_prime law %+v", l)
	}
	if ell.Spread != 1 || math.Abs(ell.Const-1) > 1e-12 {
		t.Errorf("ell' summary %+v", ell)
	}
}

// A very short synthetic run writes a complete summary, the plot and the
// per-cell metrics.
func TestRunPlanSynthetic(t *testing.T) {
	p := Plan{Scale: "test", PerClass: 20, Pool: 1, Hidden: []int{16}, Batch: 50, LRs: []float64{0.1, 0.2},
		Products: []float64{1e-2}, BurnIn: 0.5, Window: 0.5, MinWindow: 20, Seed: 1, Synthetic: true, SynthSize: 8}
	out := t.TempDir()
	s, err := RunPlan(context.Background(), p, out, nil)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(filepath.Join(out, runio.SummaryFile))
	if err != nil {
		t.Fatal(err)
	}
	var back Summary
	if err := json.Unmarshal(raw, &back); err != nil {
		t.Fatal(err)
	}
	if len(back.Cells) != 2 || len(back.Laws) != 3 || len(back.Groups) != 1 || back.Data != "synthetic" || back.SIParams != 64*16 || back.Plan.Batch != 50 {
		t.Fatalf("summary %+v", back)
	}
	for _, c := range back.Cells {
		if c.Steps != 100 || c.Window != 50 {
			t.Errorf("%s: %d steps, window %d", c.Name, c.Steps, c.Window)
		}
		for k, v := range map[string]float64{"si_param_norm": c.SINorm, "eff_lr": c.EffLR, "angle": c.AngleRMS,
			"angle_mean": c.AngleMean, "grad": c.GradSq, "w4": c.W4, "ell": c.EllPrime2, "ce": c.TrainCE, "train_ce": c.EvalTrainCE} {
			if !(v > 0) || math.IsInf(v, 0) {
				t.Errorf("%s: %s = %v", c.Name, k, v)
			}
		}
		for _, law := range []string{"angle", "norm"} {
			l, ok := c.Laws[law]
			if !ok || !(l.Predicted > 0) || !(l.Measured > 0) || l.Tolerance <= 0 || !l.Required {
				t.Errorf("%s: law %s = %+v", c.Name, law, l)
			}
		}
		pts, err := runio.ReadMetrics(filepath.Join(out, "cells", c.Name, runio.MetricsFile))
		if err != nil || len(pts) != 25 { // 200 examples / 50 = 4 steps per epoch, 100 steps
			t.Errorf("%s: %d metric lines, %v", c.Name, len(pts), err)
		}
	}
	if s.Cells[0].AngleRMS == s.Cells[1].AngleRMS {
		t.Error("two learning rates gave the same angular update")
	}
	for _, f := range []string{"equilibrium.png", "equilibrium.svg"} {
		if st, err := os.Stat(filepath.Join(out, f)); err != nil || st.Size() == 0 {
			t.Errorf("%s: %v", f, err)
		}
	}
}

// Pooling averages each k x k window per channel and drops the remainder.
func TestPoolImages(t *testing.T) {
	d := &data.Dataset{N: 1, H: 3, W: 5, C: 2, Classes: 1, Y: []int32{0}, X: make([]float32, 30)}
	for i := range d.X {
		d.X[i] = float32(i)
	}
	p := poolImages(d, 2)
	// Channel 0 of window (0,0): pixels (0,0),(0,1),(1,0),(1,1) = 0, 2, 10, 12.
	want := []float32{6, 7, 10, 11}
	if p.H != 1 || p.W != 2 || p.C != 2 || len(p.X) != 4 {
		t.Fatalf("pooled shape %dx%dx%d", p.H, p.W, p.C)
	}
	for i, v := range want {
		if p.X[i] != v {
			t.Errorf("pooled %v, want %v", p.X, want)
			break
		}
	}
	if poolImages(d, 1) != d {
		t.Error("pool 1 copied the dataset")
	}
}

// A cancelled context stops the run with its error and writes no summary.
func TestRunPlanStopsWhenCancelled(t *testing.T) {
	p, err := PlanFor("tiny")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	out := t.TempDir()
	if _, err := RunPlan(ctx, p, out, nil); !errors.Is(err, context.Canceled) {
		t.Fatalf("err %v, want context.Canceled", err)
	}
	if _, err := os.Stat(filepath.Join(out, runio.SummaryFile)); !os.IsNotExist(err) {
		t.Errorf("summary written after cancellation (%v)", err)
	}
}
