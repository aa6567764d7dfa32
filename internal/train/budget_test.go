package train

import (
	"reflect"
	"testing"

	"wdlab/internal/config"
	"wdlab/internal/runio"
)

// stepBudgetCfg is visionCfg with a budget of 60 steps: 1.5 epochs of the
// 40 batches of 50 synthetic examples, the LR drop at step
// round(0.45*60) = 27 (inside the first epoch), evaluation and checkpoints
// every 15 steps.
func stepBudgetCfg(t *testing.T) config.Config {
	t.Helper()
	return visionCfg(t, "train.steps=60", "train.eval_every=15", "train.checkpoint_every=15", "optim.drop_at=0.45")
}

// A vision run with train.steps makes exactly that many steps, drops the LR
// at step round(drop_at*steps) even inside an epoch and evaluates every
// eval_every steps and at the last one.
func TestVisionStepBudgetIsExact(t *testing.T) {
	c := struct {
		cfg                   config.Config
		steps, drop, perEpoch int
	}{stepBudgetCfg(t), 60, 27, 40}
	r, err := newRunner(c.cfg, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if r.StepsPerEp != c.perEpoch {
		t.Fatalf("%d steps per epoch, the test assumes %d", r.StepsPerEp, c.perEpoch)
	}
	lr0, lr1 := c.cfg.Optim.LR, c.cfg.Optim.LRAfter
	for _, s := range []struct {
		step int
		want float64
	}{{0, lr0}, {c.drop - 1, lr0}, {c.drop, lr1}, {c.drop + 1, lr1}, {c.steps - 1, lr1}} {
		if got := r.Sched.At(s.step); got != s.want {
			t.Errorf("LR of step %d = %v, want %v", s.step, got, s.want)
		}
	}
	dir := t.TempDir()
	sum, err := Run(c.cfg, dir, Options{})
	if err != nil || sum.Status != runio.StatusCompleted {
		t.Fatalf("run: %v %+v", err, sum)
	}
	if sum.Steps != c.steps {
		t.Errorf("the run made %d steps, want %d", sum.Steps, c.steps)
	}
	lines := metricLines(t, dir)
	var steps, lrs, epochs []float64
	for _, m := range lines {
		steps, lrs, epochs = append(steps, m["step"]), append(lrs, m["lr"]), append(epochs, m["epoch"])
	}
	// Each line's lr is that of the window's last step: 14, 29, 44, 59.
	if want := []float64{15, 30, 45, 60}; !reflect.DeepEqual(steps, want) {
		t.Errorf("evaluation points at steps %v, want %v", steps, want)
	}
	if want := []float64{lr0, lr1, lr1, lr1}; !reflect.DeepEqual(lrs, want) {
		t.Errorf("lrs %v, want %v", lrs, want)
	}
	if want := []float64{15.0 / 40, 30.0 / 40, 45.0 / 40, 60.0 / 40}; !reflect.DeepEqual(epochs, want) {
		t.Errorf("epochs %v, want %v", epochs, want)
	}
}
