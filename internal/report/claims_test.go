package report

import (
	"math"
	"strings"
	"testing"

	"wdlab/internal/runio"
)

// run builds an in-memory Run with final values and a param_norm series.
func run(lr, wd float64, final map[string]float64, norms ...float64) Run {
	r := Run{LR: lr, WD: wd, Summary: &runio.Summary{Final: final}}
	for _, n := range norms {
		r.Points = append(r.Points, runio.Point{"param_norm": n})
	}
	return r
}

func TestNormBounded(t *testing.T) {
	// growth from the middle point (index (n-1)/2) to the last.
	grow := run(0.1, 0, nil, 1, 2, 3, 4, 6)    // 3 -> 6: +100%
	flat := run(0.1, 0.01, nil, 1, 2, 2, 2, 2) // 2 -> 2: 0%
	c := NormBounded([]Run{grow, flat})
	if c.Verdict != Holds || c.Evidence != "param_norm growth over the last half of training: +0.0% with wd > 0 (mean of 1 runs) vs +100.0% with wd = 0 (mean of 1 runs)" {
		t.Errorf("%+v", c)
	}
	shrinkNoWD := run(0.1, 0, nil, 4, 2, 1)
	if c := NormBounded([]Run{shrinkNoWD, flat}); c.Verdict != DoesNotHold {
		t.Errorf("a shrinking wd=0 norm: %+v", c)
	}
	if c := NormBounded([]Run{flat}); c.Verdict != NotMeasured {
		t.Errorf("no wd=0 run: %+v", c)
	}
}

func TestEMABeatsIterate(t *testing.T) {
	runs := []Run{
		run(0.01, 0, map[string]float64{"test_err": 0.1, "ema_test_err": 0.5}), // small lr: ignored
		run(0.1, 0, map[string]float64{"test_err": 0.3, "ema_test_err": 0.1}),
		run(0.1, 0.01, map[string]float64{"test_err": 0.2, "ema_test_err": 0.2}),
	}
	c := EMABeatsIterate(runs)
	if c.Verdict != Holds || c.Evidence != "at the largest lr = 0.1 (2 runs), last point before any LR drop: ema_test_err 0.15 vs test_err 0.25" {
		t.Errorf("%+v", c)
	}
	// After an LR drop the iterate catches up; the large-LR phase decides.
	dropped := run(0.1, 0.01, map[string]float64{"test_err": 0.14, "ema_test_err": 0.14})
	dropped.Points = []runio.Point{
		{"lr": 0.1, "test_err": 0.3, "ema_test_err": 0.2},
		{"lr": 0.001, "test_err": 0.14, "ema_test_err": 0.14},
	}
	if c := EMABeatsIterate([]Run{dropped}); c.Verdict != Holds || !strings.Contains(c.Evidence, "ema_test_err 0.2 vs test_err 0.3") {
		t.Errorf("large-LR phase: %+v", c)
	}
	runs[1].Summary.Final["ema_test_err"] = 0.4
	if c := EMABeatsIterate(runs); c.Verdict != DoesNotHold {
		t.Errorf("EMA worse: %+v", c)
	}
	if c := EMABeatsIterate([]Run{run(math.NaN(), 0, map[string]float64{"test_err": 0.3, "ema_test_err": 0.1})}); c.Verdict != NotMeasured {
		t.Errorf("no lr: %+v", c)
	}
}

func TestInteriorOptimum(t *testing.T) {
	errs := func(e1, e2, e3 float64) []Run {
		return []Run{
			run(0.01, 0.01, map[string]float64{"ema_test_err": e1}), // 1e-4
			run(0.1, 0.01, map[string]float64{"ema_test_err": e2}),  // 1e-3
			run(0.1, 0.1, map[string]float64{"ema_test_err": e3}),   // 1e-2
			run(0.01, 0.1, map[string]float64{"ema_test_err": e2}),  // 1e-3 again: same group
		}
	}
	c := InteriorOptimum(errs(0.3, 0.1, 0.2))
	if c.Verdict != Holds || c.Evidence != "lowest mean final ema_test_err = 0.1 at lr*wd = 0.001, an interior value of 3 from 0.0001 to 0.01" {
		t.Errorf("%+v", c)
	}
	if c := InteriorOptimum(errs(0.3, 0.2, 0.1)); c.Verdict != DoesNotHold || c.Evidence != "lowest mean final ema_test_err = 0.1 at lr*wd = 0.01, the largest value of 3 from 0.0001 to 0.01" {
		t.Errorf("monotone: %+v", c)
	}
	if c := InteriorOptimum(errs(0.3, 0.1, 0.2)[:2]); c.Verdict != NotMeasured {
		t.Errorf("two values: %+v", c)
	}
	// Without EMA everywhere, the iterate's test_err is used.
	iter := []Run{
		run(0.01, 0, map[string]float64{"test_err": 0.5}),
		run(0.1, 0.01, map[string]float64{"test_err": 0.2, "ema_test_err": 0.9}),
		run(0.1, 0.1, map[string]float64{"test_err": 0.1}),
	}
	if c := InteriorOptimum(iter); c.Verdict != DoesNotHold || c.Evidence != "lowest mean final test_err = 0.1 at lr*wd = 0.01, the largest value of 3 from 0 to 0.01" {
		t.Errorf("iterate fallback: %+v", c)
	}
}

func TestClaimsRunsDefaults(t *testing.T) {
	cs := Claims(nil)
	if len(cs) != 3 || cs[0].Claim != "WD keeps the weight norm bounded" || cs[2].Verdict != NotMeasured {
		t.Errorf("%+v", cs)
	}
}

// Runs on two datasets are checked per dataset: here WD bounds the norm
// on one and not on the other, which a pooled check would hide.
func TestClaimsPerDataset(t *testing.T) {
	on := func(data string, r Run) Run { r.Config = map[string]any{"data.name": data}; return r }
	runs := []Run{
		on("cifar10", run(0.1, 0, nil, 1, 2, 3, 4, 6)),
		on("cifar10", run(0.1, 0.01, nil, 1, 2, 2, 2, 2)),
		on("tiny-imagenet", run(0.1, 0, nil, 1, 2, 2, 2, 2)),
		on("tiny-imagenet", run(0.1, 0.01, nil, 1, 2, 3, 4, 9)),
	}
	cs := Claims(runs)
	if len(cs) != 6 || cs[0].Claim != "WD keeps the weight norm bounded (cifar10)" || cs[3].Claim != "WD keeps the weight norm bounded (tiny-imagenet)" {
		t.Fatalf("claims %+v", cs)
	}
	if cs[0].Verdict != Holds || cs[3].Verdict != DoesNotHold {
		t.Errorf("verdicts %s, %s: want holds on cifar10 and does not hold on tiny-imagenet", cs[0].Verdict, cs[3].Verdict)
	}
}
