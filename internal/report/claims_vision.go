package report

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"wdlab/internal/runio"
)

// preDrop returns key at the run's last evaluation point whose lr is still
// the configured (large) LR, before any drop; without such a point, the
// final value.
func preDrop(r Run, key string) (float64, bool) {
	v, ok := 0.0, false
	for _, p := range r.Points {
		x, okX := p[key]
		if lr, okL := p["lr"]; okX && okL && finite(x) && finite(r.LR) && math.Abs(lr-r.LR) <= 1e-9*math.Abs(r.LR) {
			v, ok = x, true
		}
	}
	if ok {
		return v, true
	}
	return r.Final(key)
}

// final reads key's final value.
func final(key string) func(Run) (float64, bool) {
	return func(r Run) (float64, bool) { return r.Final(key) }
}

// before reads key before the LR drop (preDrop).
func before(key string) func(Run) (float64, bool) {
	return func(r Run) (float64, bool) { return preDrop(r, key) }
}

// product is a run's lr*wd.
func product(r Run) (float64, bool) { return r.LR * r.WD, r.HasLRWD() }

// lrOf is a run's lr.
func lrOf(r Run) (float64, bool) { return r.LR, finite(r.LR) }

// quadrants splits runs into the four cells of a (lr, wd) 2x2 design: the
// largest and smallest lr, each with the largest wd (> 0) and wd = 0.
// ok is false when a cell is empty.
func quadrants(runs []Run) (largeWD, largeNo, smallWD, smallNo []Run, lrs [2]float64, wd float64, ok bool) {
	lrs = [2]float64{math.Inf(1), math.Inf(-1)}
	for _, r := range runs {
		if r.HasLRWD() {
			lrs[0], lrs[1] = math.Min(lrs[0], r.LR), math.Max(lrs[1], r.LR)
			wd = math.Max(wd, r.WD)
		}
	}
	for _, r := range runs {
		if !r.HasLRWD() {
			continue
		}
		switch {
		case r.LR == lrs[1] && r.WD == wd && wd > 0:
			largeWD = append(largeWD, r)
		case r.LR == lrs[1] && r.WD == 0:
			largeNo = append(largeNo, r)
		case r.LR == lrs[0] && r.WD == wd && wd > 0:
			smallWD = append(smallWD, r)
		case r.LR == lrs[0] && r.WD == 0:
			smallNo = append(smallNo, r)
		}
	}
	ok = lrs[0] < lrs[1] && len(largeWD) > 0 && len(largeNo) > 0 && len(smallWD) > 0 && len(smallNo) > 0
	return largeWD, largeNo, smallWD, smallNo, lrs, wd, ok
}

// NormEquilibrium checks S1 on trained runs: over the second half of the
// large-LR phase the weight norm grows without WD, and its relative change
// with WD lies below that growth by more than the seed spreads (with WD it
// settles at, or still falls towards, its equilibrium).
func NormEquilibrium(runs []Run) Claim {
	c := Claim{Claim: "S1: without WD the weight norm keeps growing at a large LR; with WD it stays bounded"}
	growth := func(r Run) (float64, bool) {
		var norms []float64
		for _, p := range r.Points {
			n, okN := p["param_norm"]
			lr, okL := p["lr"]
			if okN && (!okL || !finite(r.LR) || math.Abs(lr-r.LR) <= 1e-9*math.Abs(r.LR)) {
				norms = append(norms, n)
			}
		}
		if len(norms) < 2 || norms[(len(norms)-1)/2] <= 0 {
			return 0, false
		}
		mid := norms[(len(norms)-1)/2]
		return (norms[len(norms)-1] - mid) / mid, true
	}
	var with, without []Run
	for _, r := range runs {
		if finite(r.WD) && r.WD > 0 {
			with = append(with, r)
		} else if r.WD == 0 {
			without = append(without, r)
		}
	}
	w, o := collect(with, growth), collect(without, growth)
	if w.N == 0 || o.N == 0 {
		c.Verdict, c.Evidence = NotMeasured, "needs runs with wd = 0 and with wd > 0 that record param_norm at two or more points"
		return c
	}
	c.Seeds = minSeeds(w, o)
	c.Verdict = verdict(o.Mean > 0 && below("param_norm_growth", w, o))
	c.Evidence = fmt.Sprintf("relative change of param_norm over the second half of the large-LR phase: %s with wd > 0 vs %s with wd = 0 (over runs)",
		pct(w), pct(o))
	return c
}

// LossStabilises checks S2: at the largest lr, the train CE just before
// the LR drop stays higher with WD than without it, by more than the seed
// spread.
func LossStabilises(runs []Run) Claim {
	c := Claim{Claim: "S2: at a large LR, WD keeps the train CE at a level above that of wd = 0 until the LR drop"}
	largeWD, largeNo, _, _, lrs, wd, ok := quadrants(runs)
	if !ok {
		c.Verdict, c.Evidence = NotMeasured, "needs a 2x2 grid of lr and wd (> 0 and 0)"
		return c
	}
	w, o := collect(largeWD, before("train_ce")), collect(largeNo, before("train_ce"))
	if w.N == 0 || o.N == 0 {
		c.Verdict, c.Evidence = NotMeasured, "the runs at the largest lr record no train_ce"
		return c
	}
	c.Seeds = minSeeds(w, o)
	c.Verdict = verdict(below("train_ce", o, w))
	c.Evidence = fmt.Sprintf("lr = %s, train_ce at the last evaluation before the drop: %s with wd = %s vs %s with wd = 0",
		num(lrs[1]), w, num(wd), o)
	return c
}

// WDHelpsOnlyLargeLR checks S3: (largest lr, wd > 0) has a lower final
// test error than each of (largest lr, 0), (smallest lr, wd) and
// (smallest lr, 0), each by more than the seed spread.
func WDHelpsOnlyLargeLR(runs []Run) Claim {
	c := Claim{Claim: "S3: WD helps only with a large LR: (large lr, wd) beats (large lr, 0), (small lr, wd) and (small lr, 0) in final test error"}
	largeWD, largeNo, smallWD, smallNo, lrs, wd, ok := quadrants(runs)
	if !ok {
		c.Verdict, c.Evidence = NotMeasured, "needs a 2x2 grid of lr and wd (> 0 and 0)"
		return c
	}
	m := final("test_err")
	a, b, s1, s0 := collect(largeWD, m), collect(largeNo, m), collect(smallWD, m), collect(smallNo, m)
	if minSeeds(a, b, s1, s0) == 0 {
		c.Verdict, c.Evidence = NotMeasured, "a cell of the 2x2 grid has no final test_err"
		return c
	}
	c.Seeds = minSeeds(a, b, s1, s0)
	c.Verdict = verdict(below("test_err", a, b) && below("test_err", a, s1) && below("test_err", a, s0))
	c.Evidence = fmt.Sprintf("final test_err: lr %s wd %s: %s; lr %s wd 0: %s; lr %s wd %s: %s; lr %s wd 0: %s; WD gain at the large lr %s pp (margin %s pp)",
		num(lrs[1]), num(wd), a, num(lrs[1]), b, num(lrs[0]), num(wd), s1, num(lrs[0]), s0,
		num(100*(b.Mean-a.Mean)), num(100*margin("test_err", a, b)))
	return c
}

// AveragingBeatsIterate checks S5: at the largest lr, in the large-LR
// phase (the last evaluation before any drop), the EMA's test error (and
// the fine-tuned copy's, where recorded) is below the iterate's by more
// than the seed spread.
func AveragingBeatsIterate(runs []Run) Claim {
	c := Claim{Claim: "S5: in the large-LR phase the EMA (and a copy fine-tuned at a tiny LR) has a lower test error than the SGD iterate"}
	top := math.Inf(-1)
	for _, r := range runs {
		if finite(r.LR) && r.WD != 0 {
			top = math.Max(top, r.LR)
		}
	}
	var at []Run
	for _, r := range runs {
		if r.LR == top && r.WD != 0 {
			at = append(at, r)
		}
	}
	// All three at the same evaluation point: the last before the drop
	// that records the fine-tuned copy where any run does.
	point := "test_err"
	for _, r := range at {
		if r.Has("ft_test_err") {
			point = "ft_test_err"
		}
	}
	at3 := func(key string) func(Run) (float64, bool) {
		return func(r Run) (float64, bool) {
			v, ok := 0.0, false
			for _, p := range r.Points {
				x, okX := p[key]
				_, okP := p[point]
				lr, okL := p["lr"]
				if okX && okP && finite(x) && (!okL || math.Abs(lr-r.LR) <= 1e-9*math.Abs(r.LR)) {
					v, ok = x, true
				}
			}
			return v, ok
		}
	}
	it, ema := collect(at, at3("test_err")), collect(at, at3("ema_test_err"))
	if it.N == 0 || ema.N == 0 {
		c.Verdict, c.Evidence = NotMeasured, "needs runs with wd > 0 that record test_err and ema_test_err before any LR drop"
		return c
	}
	c.Seeds = minSeeds(it, ema)
	ok := below("test_err", ema, it)
	c.Evidence = fmt.Sprintf("lr = %s, last evaluation before any drop: ema_test_err %s vs test_err %s", num(top), ema, it)
	if point == "ft_test_err" {
		ft := collect(at, at3("ft_test_err"))
		c.Seeds = minSeeds(it, ema, ft)
		ok = ok && below("test_err", ft, it)
		c.Evidence += fmt.Sprintf(", fine-tuned ft_test_err %s", ft)
	}
	c.Verdict = verdict(ok)
	return c
}

// uShape checks that the metric, grouped by key, is lowest at an interior
// value that is below both ends by more than the seed spread.
func uShape(c Claim, runs []Run, keyName string, key func(Run) (float64, bool), metric string, value func(Run) (float64, bool)) Claim {
	vals, groups := byValue(runs, key)
	var st []stat
	var xs []float64
	for i, g := range groups {
		if s := collect(g, value); s.N > 0 {
			st, xs = append(st, s), append(xs, vals[i])
		}
	}
	if len(st) < 3 {
		c.Verdict = NotMeasured
		c.Evidence = fmt.Sprintf("needs at least 3 distinct %s values with a %s; have %d", keyName, metric, len(st))
		return c
	}
	best := 0
	for i := range st {
		if st[i].Mean < st[best].Mean {
			best = i
		}
	}
	last := len(st) - 1
	c.Seeds = minSeeds(st...)
	c.Verdict = verdict(best > 0 && best < last && below(metric, st[best], st[0]) && below(metric, st[best], st[last]))
	var parts []string
	for i := range st {
		parts = append(parts, fmt.Sprintf("%s %s: %s", keyName, num(xs[i]), st[i]))
	}
	c.Evidence = fmt.Sprintf("%s by %s: %s; lowest at %s %s", metric, keyName, strings.Join(parts, "; "), keyName, num(xs[best]))
	return c
}

// OptimalProduct checks S6: the final EMA test error (the iterate's where
// no run has an EMA) is U-shaped in lr*wd.
func OptimalProduct(runs []Run) Claim {
	c := Claim{Claim: "S6: the test error has an optimum at an interior lr*wd"}
	metric := "ema_test_err"
	for _, r := range runs {
		if _, ok := r.Final(metric); r.HasLRWD() && !ok {
			metric = "test_err"
		}
	}
	return uShape(c, runs, "lr*wd", product, metric, final(metric))
}

// trend checks a monotone trend of a final metric in lr*wd: the Spearman
// rank correlation of the group means with lr*wd has the given sign and
// magnitude >= 0.8, and the two ends differ by more than the seed spread.
func trend(runs []Run, metric string, sign float64) (holds bool, evidence string, seeds int, ok bool) {
	vals, groups := byValue(runs, product)
	var st []stat
	var means []float64
	var xs []float64
	for i, g := range groups {
		if s := collect(g, final(metric)); s.N > 0 {
			st, means, xs = append(st, s), append(means, s.Mean), append(xs, vals[i])
		}
	}
	if len(st) < 3 {
		return false, fmt.Sprintf("%s: needs at least 3 distinct lr*wd values, have %d", metric, len(st)), 0, false
	}
	rho := spearman(means)
	lo, hi := st[0], st[len(st)-1]
	ends := below(metric, lo, hi)
	if sign < 0 {
		ends = below(metric, hi, lo)
	}
	holds = sign*rho >= 0.8 && ends
	evidence = fmt.Sprintf("%s: rank correlation with lr*wd %+.2f over %d values, %s at lr*wd %s vs %s at %s",
		metric, rho, len(st), lo, num(xs[0]), hi, num(xs[len(xs)-1]))
	return holds, evidence, minSeeds(st...), true
}

// ProductTrends checks S7: the EMA's Jacobian norm falls and the train CE
// rises with lr*wd (final values, at the constant large LR).
func ProductTrends(runs []Run) Claim {
	c := Claim{Claim: "S7: as lr*wd grows, the EMA's Jacobian norm falls and the train CE rises"}
	jh, je, js, jok := trend(runs, "ema_jac_norm", -1)
	th, te, ts, tok := trend(runs, "train_ce", +1)
	if !jok || !tok {
		c.Verdict, c.Evidence = NotMeasured, je+"; "+te
		return c
	}
	c.Seeds = min(js, ts)
	c.Verdict = verdict(jh && th)
	c.Evidence = je + "; " + te
	return c
}

// SphereUShape checks S8: on the sphere (fixed norm, no WD) the final test
// error, after the LR drop, is U-shaped in lr.
func SphereUShape(runs []Run) Claim {
	c := Claim{Claim: "S8: with the norm fixed on the sphere, the final test error is U-shaped in lr"}
	return uShape(c, runs, "lr", lrOf, "test_err", final("test_err"))
}

// HessianTracksError checks S9: over the settings, the fine-tuned copies'
// Hessian trace ranks with their test error (Spearman >= 0.8, at least 3
// settings), both read at the last point that records ft_hess_trace.
func HessianTracksError(runs []Run) Claim {
	c := Claim{Claim: "S9: fine-tuned copies with a lower test error have a lower Hessian trace"}
	var errs, traces []stat
	for _, s := range settings(runs) {
		e, h := collect(s.Runs, final("ft_test_err")), collect(s.Runs, final("ft_hess_trace"))
		if e.N > 0 && h.N > 0 {
			errs, traces = append(errs, e), append(traces, h)
		}
	}
	if len(errs) < 3 {
		c.Verdict = NotMeasured
		c.Evidence = fmt.Sprintf("needs at least 3 settings whose runs record ft_test_err and ft_hess_trace (probe.hess_every with probe.ft_every); have %d", len(errs))
		return c
	}
	// Order the settings by test error; the traces must rise with it.
	idx := make([]int, len(errs))
	for i := range idx {
		idx[i] = i
	}
	sort.Slice(idx, func(a, b int) bool { return errs[idx[a]].Mean < errs[idx[b]].Mean })
	ys := make([]float64, len(idx))
	var parts []string
	for k, i := range idx {
		ys[k] = traces[i].Mean
		parts = append(parts, fmt.Sprintf("ft_test_err %s: ft_hess_trace %s", errs[i], traces[i]))
	}
	rho := spearman(ys)
	c.Seeds = min(minSeeds(errs...), minSeeds(traces...))
	c.Verdict = verdict(rho >= 0.8)
	c.Evidence = fmt.Sprintf("rank correlation of ft_hess_trace with ft_test_err %+.2f over %d settings: %s", rho, len(errs), strings.Join(parts, "; "))
	return c
}

// WDHelpsAtEverySize checks S10: at every training-set size
// (data.train_per_class) the final test error with the largest wd is below
// that with wd = 0 by more than the seed spread.
func WDHelpsAtEverySize(runs []Run) Claim {
	c := Claim{Claim: "S10: at a fixed number of steps, WD lowers the test error at every training-set size"}
	size := func(r Run) (float64, bool) {
		v, ok := runio.ConfigNumber(r.Config, "data.train_per_class")
		return v, ok
	}
	vals, groups := byValue(runs, size)
	if len(vals) == 0 {
		c.Verdict, c.Evidence = NotMeasured, "needs runs with data.train_per_class set"
		return c
	}
	holds, seeds := true, math.MaxInt
	var parts []string
	for i, g := range groups {
		wd := 0.0
		for _, r := range g {
			wd = math.Max(wd, r.WD)
		}
		var with, without []Run
		for _, r := range g {
			switch {
			case wd > 0 && r.WD == wd:
				with = append(with, r)
			case r.WD == 0:
				without = append(without, r)
			}
		}
		w, o := collect(with, final("test_err")), collect(without, final("test_err"))
		if w.N == 0 || o.N == 0 {
			c.Verdict = NotMeasured
			c.Evidence = fmt.Sprintf("train_per_class %s: needs runs with wd > 0 and wd = 0 that record test_err", num(vals[i]))
			return c
		}
		ok := below("test_err", w, o)
		holds = holds && ok
		seeds = min(seeds, minSeeds(w, o))
		parts = append(parts, fmt.Sprintf("%s per class: %s with wd %s vs %s without (%s)", num(vals[i]), w, num(wd), o, verdict(ok)))
	}
	c.Seeds = seeds
	c.Verdict = verdict(holds)
	c.Evidence = "final test_err: " + strings.Join(parts, "; ")
	return c
}

// pct renders a relative-change stat in percent.
func pct(s stat) string {
	return fmt.Sprintf("%+.1f%% ± %.1f%% (n=%d)", 100*s.Mean, 100*s.Spread, s.N)
}
