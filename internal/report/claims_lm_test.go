package report

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"wdlab/internal/runio"
)

// lmRun is a language-model run named dir at wd with evaluation points
// (steps 0, 50, 100: val_loss vals[i], train_loss equal) and extra config.
func lmRun(dir string, wd float64, vals []float64, cfg map[string]any) Run {
	r := Run{Dir: "runs/" + dir, Status: runio.StatusCompleted, LR: 0.002, WD: wd, Config: map[string]any{"optim.wd": wd, "train.steps": 100}, Summary: &runio.Summary{}}
	for k, v := range cfg {
		r.Config[k] = v
	}
	for i, v := range vals {
		r.Points = append(r.Points, runio.Point{"step": float64(50 * i), "val_loss": v, "train_loss": v})
	}
	return r
}

// l1Runs: two seeds at wd 0 and 0.3 (mid-run at step 50, then final), and
// fine-tunes of each from step 50 ending at the given losses.
func l1Runs(mid0, mid3, end0, end3, ft0, ft3 [2]float64) []Run {
	var runs []Run
	for s := range 2 {
		a := lmRun("wd0-s"+string(rune('0'+s)), 0, []float64{5, mid0[s], end0[s]}, nil)
		b := lmRun("wd0.3-s"+string(rune('0'+s)), 0.3, []float64{5, mid3[s], end3[s]}, nil)
		runs = append(runs, a, b)
		for _, src := range []struct {
			r  Run
			ft float64
		}{{a, ft0[s]}, {b, ft3[s]}} {
			runs = append(runs, lmRun("ft-"+strings.TrimPrefix(src.r.Dir, "runs/"), 0, []float64{src.r.Points[1]["val_loss"], src.ft},
				map[string]any{"train.init_from": "/out/" + src.r.Dir, "train.init_step": 50, "train.init_state": true}))
		}
	}
	return runs
}

func TestL1WDBetterStartingPoint(t *testing.T) {
	ok := l1Runs([2]float64{2.50, 2.51}, [2]float64{2.60, 2.61}, [2]float64{2.30, 2.31}, [2]float64{2.29, 2.30}, [2]float64{2.28, 2.29}, [2]float64{2.20, 2.21})
	c := WDBetterStartingPoint(ok)
	if c.Verdict != Holds || !strings.Contains(c.Evidence, "fine-tuned better true") || !strings.Contains(c.Evidence, "wd=0.3: 2.205 ± 0.007071 (n=2)") {
		t.Fatalf("%+v", c)
	}
	// The fine-tunes differ by less than their seeds' spread.
	noisy := l1Runs([2]float64{2.50, 2.51}, [2]float64{2.60, 2.61}, [2]float64{2.30, 2.31}, [2]float64{2.29, 2.30}, [2]float64{2.28, 2.20}, [2]float64{2.21, 2.25})
	if c := WDBetterStartingPoint(noisy); c.Verdict != DoesNotHold {
		t.Fatalf("fine-tunes within the spread: %+v", c)
	}
	// WD not worse mid-run.
	flat := l1Runs([2]float64{2.60, 2.61}, [2]float64{2.60, 2.61}, [2]float64{2.30, 2.31}, [2]float64{2.29, 2.30}, [2]float64{2.28, 2.29}, [2]float64{2.20, 2.21})
	if c := WDBetterStartingPoint(flat); c.Verdict != DoesNotHold || !strings.Contains(c.Evidence, "mid-run worse false") {
		t.Fatalf("WD not worse mid-run: %+v", c)
	}
	// Without fine-tunes, and with one seed, it is not measured.
	var plain []Run
	for _, r := range ok {
		if !isFineTune(r) {
			plain = append(plain, r)
		}
	}
	if c := WDBetterStartingPoint(plain); c.Verdict != NotMeasured || !strings.Contains(c.Evidence, "val_loss at step 50") {
		t.Fatalf("no fine-tunes: %+v", c)
	}
	if c := WDBetterStartingPoint(ok[:4]); c.Verdict != NotMeasured || !strings.Contains(c.Evidence, "seeds") {
		t.Fatalf("one seed: %+v", c)
	}
}

// normRun is a run at wd whose decayed norm over steps 0..400 follows f,
// its metrics read from a metrics.jsonl the way a run writes them (legacy:
// with the key names of LM runs written before decayed_norm and
// decayed_eff_lr, which the reader renames).
func normRun(t *testing.T, wd float64, cfg map[string]any, f func(t float64) float64, legacy bool) Run {
	t.Helper()
	norm, elr := "decayed_norm", "decayed_eff_lr"
	if legacy {
		norm, elr = "si_param_norm", "eff_lr"
	}
	var lines strings.Builder
	for step := 0.0; step <= 400; step += 50 {
		n := f(step)
		fmt.Fprintf(&lines, `{"step":%v,"tokens":%v,"val_loss":2,%q:%v,%q:%v}`+"\n", step, 64*step, norm, n, elr, 0.002/n)
	}
	path := filepath.Join(t.TempDir(), runio.MetricsFile)
	if err := os.WriteFile(path, []byte(lines.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	pts, err := runio.ReadMetrics(path)
	if err != nil {
		t.Fatal(err)
	}
	r := lmRun("n", wd, nil, cfg)
	r.Points = pts
	return r
}

func TestL2WDLargerEffectiveLR(t *testing.T) {
	cst := map[string]any{"optim.schedule": "cosine", "optim.lr": 0.002, "optim.min_lr": 0.002, "optim.warmup": 20}
	sqrtT := func(t float64) float64 { return math.Sqrt(100 + 0.5*t) }
	flat := func(t float64) float64 { return 10 + t/400 }
	for _, legacy := range []bool{false, true} {
		c := WDLargerEffectiveLR([]Run{normRun(t, 0, cst, sqrtT, legacy), normRun(t, 0.1, cst, flat, legacy)})
		if c.Verdict != Holds || !strings.Contains(c.Evidence, "grows like t^1 ") {
			t.Fatalf("legacy keys %v: %+v", legacy, c)
		}
	}
	// Norm squared growing like t^2 is not the sqrt(t) law.
	linear := func(t float64) float64 { return 10 + t/10 }
	if c := WDLargerEffectiveLR([]Run{normRun(t, 0, cst, linear, false), normRun(t, 0.1, cst, flat, false)}); c.Verdict != DoesNotHold {
		t.Fatalf("norm growing like t: %+v", c)
	}
	// WD with the larger norm: no.
	if c := WDLargerEffectiveLR([]Run{normRun(t, 0, nil, flat, false), normRun(t, 0.1, nil, sqrtT, false)}); c.Verdict != DoesNotHold {
		t.Fatalf("WD with a larger norm: %+v", c)
	}
	if c := WDLargerEffectiveLR([]Run{normRun(t, 0.1, nil, flat, false)}); c.Verdict != NotMeasured {
		t.Fatalf("no wd=0 run: %+v", c)
	}
}

func TestL3EffectiveLRMatching(t *testing.T) {
	mk := func(prec string, matched []float64) []Run {
		p := map[string]any{"precision": prec}
		wd := lmRun("wd-"+prec, 0.1, []float64{5, 2.6, 2.3}, p)
		m := lmRun("matched-"+prec, 0, matched, map[string]any{"precision": prec, "optim.match_eff_lr": "/out/runs/wd-" + prec})
		return []Run{wd, m, lmRun("nowd-"+prec, 0, []float64{5, 2.5, 2.35}, p)}
	}
	runs := append(mk("fp32", []float64{5, 2.61, 2.3}), mk("bf16", []float64{5, 2.4, 2.5})...)
	c := EffectiveLRMatching(runs)
	if c.Verdict != Holds || !strings.Contains(c.Evidence, "fp32: mean |val_loss - WD run's| 0.005 matched vs 0.075 plain") || !strings.Contains(c.Evidence, "bf16") {
		t.Fatalf("%+v", c)
	}
	if c := EffectiveLRMatching(mk("fp32", []float64{5, 2.4, 2.5})); c.Verdict != DoesNotHold {
		t.Fatalf("matched run further than plain wd=0: %+v", c)
	}
	if c := EffectiveLRMatching(mk("bf16", []float64{5, 2.61, 2.3})); c.Verdict != NotMeasured {
		t.Fatalf("bf16 only: %+v", c)
	}
}

func TestL4BF16NeedsWD(t *testing.T) {
	mk := func(prec string, wd float64, status string) Run {
		r := lmRun(prec, wd, []float64{5, 2.5}, map[string]any{"precision": prec})
		r.Status = status
		return r
	}
	done, div := runio.StatusCompleted, runio.StatusDiverged
	c := BF16NeedsWD([]Run{mk("bf16", 0, div), mk("bf16", 0.1, done), mk("bf16", 0.3, done), mk("fp32", 0, done)})
	if c.Verdict != Holds || !strings.Contains(c.Evidence, "lr 0.002: bf16 wd=0 1/1 diverged; bf16 wd=0.1 0/1 diverged, val_loss 2.5 (n=1); bf16 wd=0.3 0/1 diverged, val_loss 2.5 (n=1); fp32 wd=0 0/1 diverged, val_loss 2.5") {
		t.Fatalf("%+v", c)
	}
	if c := BF16NeedsWD([]Run{mk("bf16", 0, div), mk("bf16", 0.1, div)}); c.Verdict != DoesNotHold {
		t.Fatalf("bf16 with WD diverges too: %+v", c)
	}
	if c := BF16NeedsWD([]Run{mk("bf16", 0, done), mk("bf16", 0.1, done), mk("fp32", 0, done)}); c.Verdict != DoesNotHold {
		t.Fatalf("nothing diverges or degrades: %+v", c)
	}
	worse := mk("bf16", 0, done)
	worse.Points[1]["val_loss"] = 2.6
	if c := BF16NeedsWD([]Run{worse, mk("bf16", 0.1, done), mk("fp32", 0, done)}); c.Verdict != Holds {
		t.Fatalf("bf16 without WD 0.1 nats worse than fp32: %+v", c)
	}
	worseWD := mk("bf16", 0.1, done)
	worseWD.Points[1]["val_loss"] = 2.6
	if c := BF16NeedsWD([]Run{worse, worseWD, mk("fp32", 0, done)}); c.Verdict != DoesNotHold {
		t.Fatalf("bf16 with WD as degraded as without: %+v", c)
	}
	worse.Points[1]["val_loss"] = 2.53
	if c := BF16NeedsWD([]Run{worse, mk("bf16", 0.1, done), mk("fp32", 0, done)}); c.Verdict != DoesNotHold {
		t.Fatalf("bf16 without WD 0.03 nats worse than fp32: %+v", c)
	}
	if c := BF16NeedsWD([]Run{mk("fp32", 0, done)}); c.Verdict != NotMeasured {
		t.Fatalf("no bf16 runs: %+v", c)
	}
}

func TestL5NoGeneralisationGap(t *testing.T) {
	gap := func(wd, g float64) Run {
		r := lmRun("g", wd, nil, nil)
		r.Points = []runio.Point{{"step": 100, "val_loss": 2 + g, "train_loss": 2}}
		return r
	}
	if c := NoGeneralisationGap([]Run{gap(0, 0.01), gap(0.1, -0.02)}); c.Verdict != Holds {
		t.Fatalf("%+v", c)
	}
	if c := NoGeneralisationGap([]Run{gap(0, 0.01), gap(0.1, 0.2)}); c.Verdict != DoesNotHold {
		t.Fatalf("a 0.2-nat gap: %+v", c)
	}
	// A bf16 run is not taken for a second seed of the fp32 setting.
	bf := gap(0, 0.3)
	bf.Config["precision"] = "bf16"
	if c := NoGeneralisationGap([]Run{gap(0, 0.01), gap(0.1, -0.02), bf}); c.Verdict != Holds || !strings.Contains(c.Evidence, "(the 2 fp32 runs)") {
		t.Fatalf("mixed precisions: %+v", c)
	}
	if c := NoGeneralisationGap(nil); c.Verdict != NotMeasured {
		t.Fatalf("no runs: %+v", c)
	}
	for _, id := range []string{"L1", "L2", "L3", "L4", "L5"} {
		if ClaimChecks[id] == nil {
			t.Errorf("ClaimChecks has no %s", id)
		}
	}
}
