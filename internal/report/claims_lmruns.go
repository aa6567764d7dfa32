package report

import (
	"fmt"
	"path"
	"sort"

	"wdlab/internal/runio"
)

// above reports whether s exceeds o by more than the seeds' spread (the sum
// of the two standard deviations).
func (s stat) above(o stat) bool { return s.Mean-o.Mean > s.Spread+o.Spread }

// cfgString is a string config value of r ("" when absent).
func cfgString(r Run, key string) string {
	s, _ := r.Config[key].(string)
	return s
}

// isFineTune reports whether r continued another run's checkpoint with its
// state (train.init_state).
func isFineTune(r Run) bool {
	return cfgString(r, "train.init_from") != "" && r.Config["train.init_state"] == true
}

// isMatched reports whether r followed another run's effective LR.
func isMatched(r Run) bool { return cfgString(r, "optim.match_eff_lr") != "" }

// plainLM returns the language-model runs (those recording val_loss) that
// are neither fine-tunes nor effective-LR matched, with a finite WD.
func plainLM(runs []Run) []Run {
	var out []Run
	for _, r := range runs {
		if r.Has("val_loss") && finite(r.WD) && !isFineTune(r) && !isMatched(r) {
			out = append(out, r)
		}
	}
	return out
}

// wdGroups groups runs by WD with f's value of each (runs where f reports
// nothing are left out) and returns the WDs in increasing order.
func wdGroups(runs []Run, f func(Run) (float64, bool)) (wds []float64, by map[float64]stat) {
	vals := map[float64][]float64{}
	for _, r := range runs {
		if v, ok := f(r); ok && finite(v) {
			vals[r.WD] = append(vals[r.WD], v)
		}
	}
	by = map[float64]stat{}
	for wd, xs := range vals {
		wds = append(wds, wd)
		by[wd] = statOf(xs)
	}
	sort.Float64s(wds)
	return wds, by
}

// finalOf returns the final value of key, for wdGroups.
func finalOf(key string) func(Run) (float64, bool) {
	return func(r Run) (float64, bool) { return r.Final(key) }
}

// atStep returns the value of key at the evaluation point of step.
func atStep(key string, step float64) func(Run) (float64, bool) {
	return func(r Run) (float64, bool) {
		for _, p := range r.Points {
			if s, ok := p["step"]; ok && s == step {
				v, ok := p[key]
				return v, ok
			}
		}
		return 0, false
	}
}

// describeGroups renders "wd=0: 2.31 ± 0.01 (n=3); wd=0.3: ...".
func describeGroups(wds []float64, by map[float64]stat) string {
	s := ""
	for i, wd := range wds {
		if i > 0 {
			s += "; "
		}
		s += fmt.Sprintf("wd=%s: %s", num(wd), by[wd])
	}
	return s
}

// sourceOf returns the run whose directory a path in another run's config
// (train.init_from, optim.match_eff_lr) names, matched on the last element.
func sourceOf(runs []Run, dir string) (Run, bool) {
	for _, r := range runs {
		if path.Base(r.Dir) == path.Base(dir) {
			return r, true
		}
	}
	return Run{}, false
}

// diverged reports whether r ended as diverged.
func diverged(r Run) bool { return r.Status == runio.StatusDiverged }

// onePrecision keeps the runs of the most common precision (fp32 on a
// tie), so that runs in other precisions are not taken for seeds; note
// names the precision kept when others were left out ("" otherwise).
func onePrecision(runs []Run) (kept []Run, note string) {
	n := map[string]int{}
	for _, r := range runs {
		n[precisionOf(r)]++
	}
	if len(n) < 2 {
		return runs, ""
	}
	keep := "fp32"
	if n["bf16"] > n["fp32"] {
		keep = "bf16"
	}
	for _, r := range runs {
		if precisionOf(r) == keep {
			kept = append(kept, r)
		}
	}
	return kept, fmt.Sprintf(" (the %d %s runs)", len(kept), keep)
}
