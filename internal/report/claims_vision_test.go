package report

import (
	"math"
	"strings"
	"testing"

	"wdlab/internal/runio"
)

// seeded builds a run of one (lr, wd) setting and seed with config keys
// (so that settings() groups the seeds), final values and points.
func seeded(lr, wd float64, seed int, final map[string]float64, points ...runio.Point) Run {
	return Run{LR: lr, WD: wd, Config: map[string]any{"optim.lr": lr, "optim.wd": wd, "seed": seed},
		Summary: &runio.Summary{Final: final}, Points: points}
}

// grid2x2 is the fig2 design with two seeds per cell: final test errors
// per cell as {seed 1, seed 2}.
func grid2x2(largeWD, largeNo, smallWD, smallNo [2]float64) []Run {
	var runs []Run
	for i := range 2 {
		runs = append(runs,
			seeded(0.2, 0.01, i, map[string]float64{"test_err": largeWD[i]}),
			seeded(0.2, 0, i, map[string]float64{"test_err": largeNo[i]}),
			seeded(0.02, 0.01, i, map[string]float64{"test_err": smallWD[i]}),
			seeded(0.02, 0, i, map[string]float64{"test_err": smallNo[i]}))
	}
	return runs
}

func TestSpreadRule(t *testing.T) {
	a, b := statOf([]float64{0.10, 0.12}), statOf([]float64{0.14, 0.15})
	// means 0.11 and 0.145: difference 0.035 > sd 0.0141.
	if !below("test_err", a, b) || below("test_err", b, a) {
		t.Error("0.11 ± 0.014 vs 0.145 ± 0.007 should differ")
	}
	wide := statOf([]float64{0.10, 0.15}) // mean 0.125, sd 0.0354 > 0.02
	if below("test_err", wide, b) {
		t.Error("a difference inside the seed spread held")
	}
	one, other := statOf([]float64{0.10}), statOf([]float64{0.115})
	if below("test_err", one, other) || !below("test_err", one, statOf([]float64{0.125})) {
		t.Error("single seeds: an error difference must exceed 2 pp")
	}
	if below("jac", statOf([]float64{10}), statOf([]float64{10.9})) || !below("jac", statOf([]float64{10}), statOf([]float64{11.2})) {
		t.Error("single seeds: another metric must differ by 10% of the larger mean")
	}
}

func TestSpearman(t *testing.T) {
	for _, c := range []struct {
		ys   []float64
		want float64
	}{
		{[]float64{1, 2, 3, 4}, 1},
		{[]float64{4, 3, 2, 1}, -1},
		{[]float64{1, 3, 2}, 0.5},    // ranks 1 3 2: 1 - 6*2/(3*8)
		{[]float64{1, 1, 2}, 0.8660}, // tied ranks 1.5 1.5 3
	} {
		if got := spearman(c.ys); math.Abs(got-c.want) > 1e-4 {
			t.Errorf("spearman(%v) = %v, want %v", c.ys, got, c.want)
		}
	}
}

func TestWDHelpsOnlyLargeLR(t *testing.T) {
	c := WDHelpsOnlyLargeLR(grid2x2([2]float64{0.12, 0.13}, [2]float64{0.145, 0.15}, [2]float64{0.16, 0.17}, [2]float64{0.15, 0.155}))
	if c.Verdict != Holds || c.Seeds != 2 || !strings.Contains(c.Evidence, "WD gain at the large lr 2.25 pp (margin 0.7071 pp)") {
		t.Errorf("%+v", c)
	}
	// The same gain with a seed spread of 3 pp at the large lr, wd = 0.
	c = WDHelpsOnlyLargeLR(grid2x2([2]float64{0.12, 0.13}, [2]float64{0.13, 0.16}, [2]float64{0.16, 0.17}, [2]float64{0.15, 0.155}))
	if c.Verdict != DoesNotHold {
		t.Errorf("gain inside the spread: %+v", c)
	}
	// Small lr + WD best: the claim fails.
	c = WDHelpsOnlyLargeLR(grid2x2([2]float64{0.12, 0.13}, [2]float64{0.145, 0.15}, [2]float64{0.10, 0.10}, [2]float64{0.15, 0.155}))
	if c.Verdict != DoesNotHold {
		t.Errorf("small lr best: %+v", c)
	}
	if c := WDHelpsOnlyLargeLR(grid2x2([2]float64{0.1, 0.1}, [2]float64{0.2, 0.2}, [2]float64{0.2, 0.2}, [2]float64{0.2, 0.2})[:2]); c.Verdict != NotMeasured {
		t.Errorf("half a grid: %+v", c)
	}
}

func TestLossStabilisesReadsBeforeTheDrop(t *testing.T) {
	pts := func(pre, post float64) []runio.Point {
		return []runio.Point{{"lr": 0.2, "train_ce": 1}, {"lr": 0.2, "train_ce": pre}, {"lr": 0.001, "train_ce": post}}
	}
	var runs []Run
	for i, ce := range []float64{0.30, 0.32} {
		runs = append(runs, seeded(0.2, 0.01, i, nil, pts(ce, 0.01)...))
		runs = append(runs, seeded(0.2, 0, i, nil, pts(ce/10, 0.001)...))
		runs = append(runs, seeded(0.02, 0.01, i, nil), seeded(0.02, 0, i, nil))
	}
	c := LossStabilises(runs)
	if c.Verdict != Holds || !strings.Contains(c.Evidence, "0.31 ± 0.01414 (n=2) with wd = 0.01 vs 0.031 ± 0.001414 (n=2) with wd = 0") {
		t.Errorf("%+v", c)
	}
}

func TestAveragingBeatsIterate(t *testing.T) {
	// Fine-tuning is recorded every second point; all three are read at
	// the last point that has it, before the drop.
	mk := func(seed int, it, ema, ft float64) Run {
		return seeded(0.2, 0.01, seed, nil,
			runio.Point{"lr": 0.2, "test_err": 0.5, "ema_test_err": 0.5},
			runio.Point{"lr": 0.2, "test_err": it, "ema_test_err": ema, "ft_test_err": ft},
			runio.Point{"lr": 0.2, "test_err": 0.9, "ema_test_err": 0.9},
			runio.Point{"lr": 0.001, "test_err": 0.1, "ema_test_err": 0.1})
	}
	c := AveragingBeatsIterate([]Run{mk(0, 0.30, 0.20, 0.21), mk(1, 0.32, 0.22, 0.20)})
	if c.Verdict != Holds || c.Evidence != "lr = 0.2, last evaluation before any drop: ema_test_err 0.21 ± 0.01414 (n=2) vs test_err 0.31 ± 0.01414 (n=2), fine-tuned ft_test_err 0.205 ± 0.007071 (n=2)" {
		t.Errorf("%+v", c)
	}
	if c := AveragingBeatsIterate([]Run{mk(0, 0.30, 0.20, 0.30), mk(1, 0.32, 0.22, 0.31)}); c.Verdict != DoesNotHold {
		t.Errorf("fine-tuning no better: %+v", c)
	}
}

func TestUShapes(t *testing.T) {
	var runs []Run
	for i, e := range []float64{0.30, 0.20, 0.25} { // lr*wd 1e-4, 1e-3, 1e-2
		lr := []float64{0.01, 0.1, 0.1}[i]
		wd := []float64{0.01, 0.01, 0.1}[i]
		runs = append(runs, seeded(lr, wd, 0, map[string]float64{"ema_test_err": e, "test_err": e}))
	}
	if c := OptimalProduct(runs); c.Verdict != Holds || c.Seeds != 1 || !strings.HasSuffix(c.Evidence, "lowest at lr*wd 0.001") {
		t.Errorf("%+v", c)
	}
	runs[2].Summary.Final["ema_test_err"] = 0.21 // within the 2 pp floor of the optimum
	if c := OptimalProduct(runs); c.Verdict != DoesNotHold {
		t.Errorf("end within the floor: %+v", c)
	}
	// The sphere keys on lr: 0.01, 0.1 (two runs), no interior optimum.
	if c := SphereUShape(runs); c.Verdict != NotMeasured {
		t.Errorf("two lr values: %+v", c)
	}
}

func TestProductTrends(t *testing.T) {
	var runs []Run
	for i, lr := range []float64{0.01, 0.03, 0.1, 0.3} {
		runs = append(runs, seeded(lr, 0.01, 0, map[string]float64{"ema_jac_norm": 20 - 4*float64(i), "train_ce": 0.1 + 0.1*float64(i)}))
	}
	if c := ProductTrends(runs); c.Verdict != Holds || !strings.Contains(c.Evidence, "ema_jac_norm: rank correlation with lr*wd -1.00 over 4 values") {
		t.Errorf("%+v", c)
	}
	runs[3].Summary.Final["train_ce"] = 0.05 // CE falls at the end
	if c := ProductTrends(runs); c.Verdict != DoesNotHold {
		t.Errorf("non-monotone CE: %+v", c)
	}
}

func TestHessianTracksError(t *testing.T) {
	var runs []Run
	for i, lr := range []float64{0.05, 0.1, 0.2} {
		runs = append(runs, seeded(lr, 0.01, 0, map[string]float64{"ft_test_err": 0.3 - 0.05*float64(i), "ft_hess_trace": 100 - 30*float64(i)}))
	}
	if c := HessianTracksError(runs); c.Verdict != Holds || !strings.Contains(c.Evidence, "+1.00 over 3 settings") {
		t.Errorf("%+v", c)
	}
	runs[0].Summary.Final["ft_hess_trace"] = 1
	if c := HessianTracksError(runs); c.Verdict != DoesNotHold {
		t.Errorf("trace not ranked with error: %+v", c)
	}
	if c := HessianTracksError(runs[:2]); c.Verdict != NotMeasured {
		t.Errorf("two settings: %+v", c)
	}
}

func TestWDHelpsAtEverySize(t *testing.T) {
	sized := func(n int, wd, e float64) Run {
		r := seeded(0.1, wd, 0, map[string]float64{"test_err": e})
		r.Config["data.train_per_class"] = n
		return r
	}
	runs := []Run{sized(20, 0, 0.40), sized(20, 0.005, 0.35), sized(500, 0, 0.20), sized(500, 0.005, 0.17)}
	if c := WDHelpsAtEverySize(runs); c.Verdict != Holds || !strings.Contains(c.Evidence, "500 per class: 0.17 (n=1) with wd 0.005 vs 0.2 (n=1) without (holds)") {
		t.Errorf("%+v", c)
	}
	runs[3].Summary.Final["test_err"] = 0.19
	if c := WDHelpsAtEverySize(runs); c.Verdict != DoesNotHold {
		t.Errorf("1 pp at one size, one seed: %+v", c)
	}
}

func TestNormEquilibrium(t *testing.T) {
	norms := func(lr float64, ns ...float64) []runio.Point {
		var ps []runio.Point
		for _, n := range ns {
			ps = append(ps, runio.Point{"lr": lr, "param_norm": n})
		}
		return append(ps, runio.Point{"lr": lr / 100, "param_norm": 100}) // after the drop: ignored
	}
	runs := []Run{
		seeded(0.2, 0.01, 0, nil, norms(0.2, 20, 15, 15.1)...), // +0.7%
		seeded(0.2, 0, 0, nil, norms(0.2, 20, 22, 26)...),      // +18%
	}
	if c := NormEquilibrium(runs); c.Verdict != Holds || !strings.Contains(c.Evidence, "+0.7% ± 0.0% (n=1) with wd > 0 vs +18.2% ± 0.0% (n=1)") {
		t.Errorf("%+v", c)
	}
	runs[1] = seeded(0.2, 0, 0, nil, norms(0.2, 20, 22, 22.1)...)
	if c := NormEquilibrium(runs); c.Verdict != DoesNotHold {
		t.Errorf("no growth without WD: %+v", c)
	}
}

func TestExperimentChecks(t *testing.T) {
	cs := ExperimentChecks("fig2", []string{"S3", "S99"})(grid2x2([2]float64{0.12, 0.13}, [2]float64{0.145, 0.15}, [2]float64{0.16, 0.17}, [2]float64{0.15, 0.155}))
	if len(cs) != 2 || cs[0].Experiment != "fig2" || cs[0].ID != "S3" || cs[0].Verdict != Holds {
		t.Fatalf("%+v", cs)
	}
	if cs[1].ID != "S99" || cs[1].Verdict != NotMeasured || !strings.Contains(cs[1].Evidence, "no check for claim S99") {
		t.Errorf("unknown ID: %+v", cs[1])
	}
}
