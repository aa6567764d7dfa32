package probe

import (
	"math"
	"testing"

	"wdlab/internal/config"
	"wdlab/internal/train"
)

// hessRunName marks the runs whose Hessian probe refHook re-computes.
const hessRunName = "hess-run-test"

// refTraces holds, per epoch of the last such run, the hess_trace that the
// probe logged and the reference estimate on the same weights, subset and
// Rademacher probes.
var refTraces map[int][2]float64

// refHook runs after the probe hook (listed after it in Options.Hooks) and
// recomputes its hess_trace with the float64 reference.
type refHook struct{}

func newRefHook(r *train.Runner) train.Hook {
	if r.Cfg.Name != hessRunName {
		return nil
	}
	refTraces = map[int][2]float64{}
	return refHook{}
}

// AfterEpoch runs Hutchinson's loop with the probe's subset and random
// stream on a stand-in product whose inner product with a Rademacher v is
// the reference v^T H v (v_i^2 = 1), so the stopping rule sees the same
// values.
func (refHook) AfterEpoch(r *train.Runner, epoch int, metrics map[string]float64) error {
	p := r.Cfg.Probe
	ds, err := r.Train.BalancedSubset(p.HessPerClass)
	if err != nil {
		return err
	}
	_, dim, err := ExactHVP(r.Model, ds, HessBatch)
	if err != nil {
		return err
	}
	hv := func(v, out []float64) {
		q := refVHV(r.Model, ds, trainableDir(r.Model, v))
		for i := range v {
			out[i] = v[i] * q / float64(dim)
		}
	}
	ref, _ := Hutchinson(hv, dim, p.HessProbes, HutchTol, rngFor(r.Cfg.Seed, epoch, streamHessIterate))
	refTraces[epoch] = [2]float64{metrics["hess_trace"], ref}
	return nil
}

// A training run of the BN-MLP and of a PreAct-ResNet logs a positive
// hess_trace equal, to 1e-3, to the reference estimate on the run's
// weights.
func TestRunHessTraceMatchesReference(t *testing.T) {
	for _, arch := range []string{"bn-mlp", "preact-resnet"} {
		c := config.Default()
		c.Name, c.Data.Name, c.Seed = hessRunName, "synthetic", 3
		c.Model.Arch, c.Model.Hidden, c.Model.Width, c.Model.Blocks = arch, []int{16}, 4, []int{1, 1}
		c.Optim.LR, c.Optim.WD, c.Optim.Schedule = 0.1, 5e-4, "constant"
		c.Train.Epochs, c.Train.BatchSize, c.Train.EvalBatchSize, c.Train.EMA = 2, 100, 500, 0
		c.Probe = config.Probe{HessEvery: 1, HessPerClass: 5, HessProbes: 100}
		if _, err := train.Run(c, t.TempDir(), train.Options{Hooks: []train.HookFactory{NewHook, newRefHook}}); err != nil {
			t.Fatal(err)
		}
		for epoch := 1; epoch <= 2; epoch++ {
			got := refTraces[epoch]
			if !(got[0] > 0) || relErr(got[0], got[1]) > 1e-3 || math.IsNaN(got[1]) {
				t.Errorf("%s, epoch %d: hess_trace = %.6g, reference %.6g", arch, epoch, got[0], got[1])
			}
		}
	}
}
