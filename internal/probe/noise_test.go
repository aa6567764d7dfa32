package probe

import (
	"math"
	"testing"

	"wdlab/internal/config"
	"wdlab/internal/nn"
	"wdlab/internal/optim"
	"wdlab/internal/train"
)

// Hand-made batch: logits (0, 0) with label 0 give p = (1/2, 1/2),
// ||p - e_0||^2 = 1/2 and 1 - p_y = 1/2; logits (ln 3, 0) with label 1 give
// p = (3/4, 1/4), ||p - e_1||^2 = 9/8 and 1 - p_y = 3/4.
func TestNoiseKnownAnswer(t *testing.T) {
	logits := &nn.Tensor{Shape: []int{2, 2}, Data: []float32{0, 0, float32(math.Log(3)), 0}}
	var s Noise
	s.Add(logits, []int32{0, 1})
	if s.N != 2 || math.Abs(s.MeanEllPrime2()-0.8125) > 1e-6 || math.Abs(s.MeanOneMinusPy()-0.625) > 1e-6 {
		t.Errorf("noise = %+v: mean ell'^2 %v (want 0.8125), mean 1-p_y %v (want 0.625)",
			s, s.MeanEllPrime2(), s.MeanOneMinusPy())
	}
}

// NoiseScale over a dataset equals the per-batch statistics pooled, for
// any batch size.
func TestNoiseScaleBatchInvariant(t *testing.T) {
	m := linearSoftmax(t, 5, 4)
	ds := vectors(23, 5, 4, 8)
	a, b := NoiseScale(m, ds, 23), NoiseScale(m, ds, 4)
	if a.N != 23 || b.N != 23 || relErr(b.EllPrime2, a.EllPrime2) > 1e-12 || relErr(b.OneMinusPy, a.OneMinusPy) > 1e-12 {
		t.Errorf("batch 23 gives %+v, batch 4 gives %+v", a, b)
	}
}

// The window is the last epochs that end before a step drop (also one
// inside an epoch), else the last epochs of the run, clipped at epoch 1.
func TestNoiseWindowEpochs(t *testing.T) {
	for _, c := range []struct {
		sched               optim.Schedule
		epochs, avg         int
		wantFirst, wantLast int
	}{
		{optim.StepDrop{LR0: 0.1, LRAfter: 1e-3, DropStep: 150}, 20, 10, 6, 15},
		{optim.StepDrop{LR0: 0.1, LRAfter: 1e-3, DropStep: 155}, 20, 10, 6, 15},
		{optim.StepDrop{LR0: 0.1, LRAfter: 1e-3, DropStep: 149}, 20, 3, 12, 14},
		{optim.Constant{LR: 0.1}, 20, 10, 11, 20},
		{optim.Constant{LR: 0.1}, 4, 10, 1, 4},
	} {
		r := &train.Runner{Cfg: config.Default(), Sched: c.sched, StepsPerEp: 10}
		r.Cfg.Train.Epochs = c.epochs
		w := newNoiseWindow(r, c.avg)
		if w.first != c.wantFirst || w.last != c.wantLast {
			t.Errorf("%+v, %d epochs, window %d: epochs %d..%d, want %d..%d", c.sched, c.epochs, c.avg, w.first, w.last, c.wantFirst, c.wantLast)
		}
	}
}

// With train.steps the hooks count steps: the window is the last epochs'
// worth of steps before the drop (here 2 epochs of 10 steps before step
// 150), or before the end of the budget.
func TestNoiseWindowSteps(t *testing.T) {
	for _, c := range []struct {
		sched               optim.Schedule
		steps               int
		wantFirst, wantLast int
	}{
		{optim.StepDrop{LR0: 0.1, LRAfter: 1e-3, DropStep: 150}, 200, 131, 150},
		{optim.Constant{LR: 0.1}, 95, 76, 95},
		{optim.Constant{LR: 0.1}, 15, 1, 15},
	} {
		r := &train.Runner{Cfg: config.Default(), Sched: c.sched, StepsPerEp: 10}
		r.Cfg.Train.Epochs, r.Cfg.Train.Steps = 0, c.steps
		w := newNoiseWindow(r, 2)
		if w.first != c.wantFirst || w.last != c.wantLast {
			t.Errorf("%+v, %d steps: window %d..%d, want %d..%d", c.sched, c.steps, w.first, w.last, c.wantFirst, c.wantLast)
		}
	}
}

// A run with a step drop after epoch 3 and a window of 2 epochs measures
// the noise at epochs 2 and 3 (besides its noise_every points) and logs
// their running mean there; epoch 3's noise_scale_avg is the mean of the
// two points, not the last one.
func TestNoiseScaleAveragedBeforeDrop(t *testing.T) {
	c := config.Default()
	c.Name, c.Data.Name = "noise-window", "synthetic"
	c.Model.Arch, c.Model.Hidden = "bn-mlp", []int{16}
	c.Optim.LR, c.Optim.WD, c.Optim.Schedule, c.Optim.DropAt, c.Optim.LRAfter = 0.3, 5e-3, "step", 0.5, 1e-3
	c.Train.Epochs, c.Train.BatchSize, c.Train.EvalBatchSize, c.Train.EMA = 6, 100, 500, 0
	c.Probe = config.Probe{NoiseEvery: 6, NoiseAvgEpochs: 2}
	dir := t.TempDir()
	if _, err := train.Run(c, dir, train.Options{Hooks: probes}); err != nil {
		t.Fatal(err)
	}
	pts := readMetrics(t, dir)
	for i, p := range pts {
		_, point := p["noise_scale"]
		_, avg := p["noise_scale_avg"]
		e := i + 1
		if point != (e == 2 || e == 3 || e == 6) || avg != (e == 2 || e == 3) {
			t.Errorf("epoch %d: noise_scale logged %v, noise_scale_avg logged %v", e, point, avg)
		}
	}
	a, b := pts[1], pts[2]
	if a["noise_scale_avg"] != a["noise_scale"] || a["noise_avg_points"] != 1 {
		t.Errorf("epoch 2: noise_scale_avg %v over %v points, noise_scale %v", a["noise_scale_avg"], a["noise_avg_points"], a["noise_scale"])
	}
	want := (a["noise_scale"] + b["noise_scale"]) / 2
	wantPy := (a["one_minus_py"] + b["one_minus_py"]) / 2
	if relErr(b["noise_scale_avg"], want) > 1e-12 || relErr(b["one_minus_py_avg"], wantPy) > 1e-12 || b["noise_avg_points"] != 2 {
		t.Errorf("epoch 3: noise_scale_avg %v, one_minus_py_avg %v over %v points; want %v, %v over 2",
			b["noise_scale_avg"], b["one_minus_py_avg"], b["noise_avg_points"], want, wantPy)
	}
	if a["noise_scale"] == b["noise_scale"] {
		t.Errorf("epochs 2 and 3 have the same noise scale %v: the average is not tested", a["noise_scale"])
	}
}
