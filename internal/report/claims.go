package report

import (
	"fmt"
	"math"
	"sort"
	"strconv"
)

// Verdict is the outcome of checking a claim against the runs.
type Verdict string

// The three verdicts.
const (
	Holds       Verdict = "holds"
	DoesNotHold Verdict = "does not hold"
	NotMeasured Verdict = "not measured"
)

// Claim is one statement of the paper checked against the runs; claims.json
// lists them.
type Claim struct {
	Experiment string  `json:"experiment"` // the catalog experiment ("" for a plain sweep)
	ID         string  `json:"id"`         // the paper's claim ID (S1-S10, L1-L5; "" for a generic check)
	Claim      string  `json:"claim"`
	Verdict    Verdict `json:"verdict"`
	Evidence   string  `json:"evidence"` // the numbers behind the verdict, or what is missing
	Seeds      int     `json:"seeds"`    // the fewest seeds behind any mean compared (0 when not measured)
}

// ClaimFunc checks one claim.
type ClaimFunc func(runs []Run) Claim

// DefaultClaims are the generic checks for runs of no known experiment.
var DefaultClaims = []ClaimFunc{NormBounded, EMABeatsIterate, InteriorOptimum}

// Claims checks DefaultClaims against the runs (see CheckClaims).
func Claims(runs []Run) []Claim { return CheckClaims(runs, DefaultClaims) }

// CheckClaims runs the checks against the runs. Runs on different
// datasets (config data.name) are checked separately, the dataset named
// after each claim: their errors and norms do not average.
func CheckClaims(runs []Run, checks []ClaimFunc) []Claim {
	byData := map[string][]Run{}
	var names []string
	for _, r := range runs {
		name := fmt.Sprint(r.Config["data.name"])
		if _, ok := byData[name]; !ok {
			names = append(names, name)
		}
		byData[name] = append(byData[name], r)
	}
	sort.Strings(names)
	if len(names) <= 1 {
		names, byData = []string{""}, map[string][]Run{"": runs}
	}
	var out []Claim
	for _, name := range names {
		for _, f := range checks {
			c := f(byData[name])
			if name != "" {
				c.Claim += " (" + name + ")"
			}
			out = append(out, c)
		}
	}
	return out
}

// NormBounded checks "WD keeps the weight norm bounded": the mean relative
// growth of param_norm over the last half of the evaluation points is
// smaller for runs with wd > 0 than for runs with wd = 0.
func NormBounded(runs []Run) Claim {
	c := Claim{Claim: "WD keeps the weight norm bounded"}
	var with, without []float64
	for _, r := range runs {
		_, norms := r.Series("param_norm", "param_norm")
		if !finite(r.WD) || len(norms) < 2 {
			continue
		}
		mid, end := norms[(len(norms)-1)/2], norms[len(norms)-1]
		if mid <= 0 {
			continue
		}
		g := (end - mid) / mid
		if r.WD > 0 {
			with = append(with, g)
		} else {
			without = append(without, g)
		}
	}
	if len(with) == 0 || len(without) == 0 {
		c.Verdict, c.Evidence = NotMeasured, "needs runs with wd = 0 and with wd > 0 that record param_norm"
		return c
	}
	gw, g0 := mean(with), mean(without)
	c.Verdict = verdict(gw < g0)
	c.Evidence = fmt.Sprintf("param_norm growth over the last half of training: %+.1f%% with wd > 0 (mean of %d runs) vs %+.1f%% with wd = 0 (mean of %d runs)",
		100*gw, len(with), 100*g0, len(without))
	return c
}

// EMABeatsIterate checks "EMA beats the iterate at large LR": over the
// runs with the largest lr, the mean ema_test_err is below the mean
// test_err at the last evaluation before any LR drop.
func EMABeatsIterate(runs []Run) Claim {
	c := Claim{Claim: "EMA beats the iterate at large LR"}
	top := math.Inf(-1)
	var ema, it []float64
	for _, r := range runs {
		e, t, ok := largeLRPhase(r)
		if !finite(r.LR) || !ok || !finite(e) || !finite(t) {
			continue
		}
		if r.LR > top {
			top, ema, it = r.LR, nil, nil
		}
		if r.LR == top {
			ema, it = append(ema, e), append(it, t)
		}
	}
	if len(ema) == 0 {
		c.Verdict, c.Evidence = NotMeasured, "needs runs with a configured lr that record test_err and ema_test_err"
		return c
	}
	me, mt := mean(ema), mean(it)
	c.Verdict = verdict(me < mt)
	c.Evidence = fmt.Sprintf("at the largest lr = %s (%d runs), last point before any LR drop: ema_test_err %s vs test_err %s",
		num(top), len(ema), num(me), num(mt))
	return c
}

// largeLRPhase returns ema_test_err and test_err at the run's last
// evaluation point whose lr is still the configured (large) LR, before any
// drop; without such a point, the final values.
func largeLRPhase(r Run) (ema, it float64, ok bool) {
	for _, p := range r.Points {
		e, okE := p["ema_test_err"]
		t, okT := p["test_err"]
		if lr, okL := p["lr"]; okE && okT && okL && finite(r.LR) && math.Abs(lr-r.LR) <= 1e-9*math.Abs(r.LR) {
			ema, it, ok = e, t, true
		}
	}
	if ok {
		return ema, it, true
	}
	e, okE := r.Final("ema_test_err")
	t, okT := r.Final("test_err")
	return e, t, okE && okT
}

// InteriorOptimum checks "best lr*wd is interior (U-shape)": with at least
// three distinct lr*wd values, the one with the lowest mean final
// ema_test_err (test_err when some run lacks the EMA) is neither the
// smallest nor the largest.
func InteriorOptimum(runs []Run) Claim {
	c := Claim{Claim: "best lr*wd is interior (U-shape)"}
	key := "ema_test_err"
	for _, r := range runs {
		if _, ok := r.Final(key); r.HasLRWD() && !ok {
			key = "test_err"
		}
	}
	groups := map[string][]float64{}
	prod := map[string]float64{}
	for _, r := range runs {
		v, ok := r.Final(key)
		if !r.HasLRWD() || !ok || !finite(v) {
			continue
		}
		eta := r.LR * r.WD
		k := strconv.FormatFloat(eta, 'g', 6, 64) // merge rounding noise
		groups[k], prod[k] = append(groups[k], v), eta
	}
	if len(groups) < 3 {
		c.Verdict = NotMeasured
		c.Evidence = fmt.Sprintf("needs at least 3 distinct lr*wd values with a final %s; have %d", key, len(groups))
		return c
	}
	keys := make([]string, 0, len(groups))
	for k := range groups {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return prod[keys[i]] < prod[keys[j]] })
	best := 0
	for i, k := range keys {
		if mean(groups[k]) < mean(groups[keys[best]]) {
			best = i
		}
	}
	interior := best > 0 && best < len(keys)-1
	c.Verdict = verdict(interior)
	where := "an interior value"
	switch best {
	case 0:
		where = "the smallest value"
	case len(keys) - 1:
		where = "the largest value"
	}
	c.Evidence = fmt.Sprintf("lowest mean final %s = %s at lr*wd = %s, %s of %d from %s to %s",
		key, num(mean(groups[keys[best]])), num(prod[keys[best]]), where, len(keys),
		num(prod[keys[0]]), num(prod[keys[len(keys)-1]]))
	return c
}

func verdict(ok bool) Verdict {
	if ok {
		return Holds
	}
	return DoesNotHold
}

func mean(xs []float64) float64 {
	s := 0.0
	for _, x := range xs {
		s += x
	}
	return s / float64(len(xs))
}
