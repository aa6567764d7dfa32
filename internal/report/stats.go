package report

import (
	"fmt"
	"math"
	"sort"
	"strings"
)

// setting is the runs of one configuration that differ only in seedKeys.
type setting struct {
	Runs []Run
}

// settings groups runs whose configs differ only in seedKeys, in the order
// of their first run.
func settings(runs []Run) []setting {
	var out []setting
	index := map[string]int{}
	for _, r := range runs {
		k := settingKey(r.Config)
		i, ok := index[k]
		if !ok {
			i = len(out)
			index[k] = i
			out = append(out, setting{})
		}
		out[i].Runs = append(out[i].Runs, r)
	}
	return out
}

// first is the setting's first run: its config and lr, wd describe all.
func (s setting) first() Run { return s.Runs[0] }

// stat is a metric over the seeds of one or more settings.
type stat struct {
	Mean   float64
	Spread float64 // sample standard deviation over the seeds (0 for one seed)
	N      int     // the number of seeds with a value
}

// statOf summarises xs (N = 0 when empty).
func statOf(xs []float64) stat {
	if len(xs) == 0 {
		return stat{Mean: math.NaN()}
	}
	m := mean(xs)
	if len(xs) == 1 {
		return stat{Mean: m, N: 1}
	}
	var ss float64
	for _, x := range xs {
		ss += (x - m) * (x - m)
	}
	return stat{Mean: m, Spread: math.Sqrt(ss / float64(len(xs)-1)), N: len(xs)}
}

// collect summarises value over the runs that have it.
func collect(runs []Run, value func(Run) (float64, bool)) stat {
	var xs []float64
	for _, r := range runs {
		if v, ok := value(r); ok && finite(v) {
			xs = append(xs, v)
		}
	}
	return statOf(xs)
}

// String renders "mean ± sd (n=N)".
func (s stat) String() string {
	if s.N <= 1 {
		return fmt.Sprintf("%s (n=%d)", num(s.Mean), s.N)
	}
	return fmt.Sprintf("%s ± %s (n=%d)", num(s.Mean), num(s.Spread), s.N)
}

// errFloor is the spread assumed for an error rate measured with one seed:
// the tiny runs' test errors differ by up to about 2 pp between seeds.
const errFloor = 0.02

// relFloor is the relative spread assumed for another metric measured with
// one seed.
const relFloor = 0.1

// SpreadRule states how claims compare seed means; the report shows it.
const SpreadRule = "A difference between two settings holds only when the difference of their means exceeds the larger of their seed spreads (the sample standard deviation over the seeds). A setting run with one seed has no measured spread: then the difference must exceed 2 percentage points for an error rate and 10% of the larger mean for any other metric. Values are shown as mean ± sd (n = the runs behind the mean: the seeds of a setting, or every run of one lr*wd or lr value where the claim groups by it). The language-model checks (L1-L5) are stricter: a difference must exceed the sum of the two spreads."

// margin is the difference two stats must exceed to differ (SpreadRule).
func margin(metric string, a, b stat) float64 {
	m := math.Max(a.Spread, b.Spread)
	if a.N >= 2 && b.N >= 2 {
		return m
	}
	if strings.HasSuffix(metric, "_err") {
		return math.Max(m, errFloor)
	}
	return math.Max(m, relFloor*math.Max(math.Abs(a.Mean), math.Abs(b.Mean)))
}

// below reports whether a's mean lies below b's by more than margin.
func below(metric string, a, b stat) bool {
	return a.N > 0 && b.N > 0 && b.Mean-a.Mean > margin(metric, a, b)
}

// minSeeds is the smallest N of the stats (the seeds behind a verdict).
func minSeeds(ss ...stat) int {
	n := math.MaxInt
	for _, s := range ss {
		n = min(n, s.N)
	}
	if n == math.MaxInt {
		return 0
	}
	return n
}

// byValue groups runs by a number read from each (e.g. lr*wd), sorted by
// it; values equal to 6 significant digits merge (rounding noise).
func byValue(runs []Run, key func(Run) (float64, bool)) (vals []float64, groups [][]Run) {
	idx := map[string]int{}
	for _, r := range runs {
		v, ok := key(r)
		if !ok || !finite(v) {
			continue
		}
		k := fmt.Sprintf("%.6g", v)
		i, seen := idx[k]
		if !seen {
			i = len(vals)
			idx[k] = i
			vals, groups = append(vals, v), append(groups, nil)
		}
		groups[i] = append(groups[i], r)
	}
	order := make([]int, len(vals))
	for i := range order {
		order[i] = i
	}
	sort.Slice(order, func(i, j int) bool { return vals[order[i]] < vals[order[j]] })
	sv, sg := make([]float64, len(vals)), make([][]Run, len(vals))
	for i, o := range order {
		sv[i], sg[i] = vals[o], groups[o]
	}
	return sv, sg
}

// spearman is the rank correlation of ys with their order (ys given in
// increasing order of x; ties get the mean rank).
func spearman(ys []float64) float64 {
	n := len(ys)
	if n < 2 {
		return math.NaN()
	}
	rank := make([]float64, n)
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	sort.Slice(idx, func(a, b int) bool { return ys[idx[a]] < ys[idx[b]] })
	for i := 0; i < n; {
		j := i
		for j+1 < n && ys[idx[j+1]] == ys[idx[i]] {
			j++
		}
		for k := i; k <= j; k++ {
			rank[idx[k]] = float64(i+j)/2 + 1
		}
		i = j + 1
	}
	var sxy, sxx, syy float64
	mid := float64(n+1) / 2
	for i := range n {
		dx, dy := float64(i+1)-mid, rank[i]-mid
		sxy, sxx, syy = sxy+dx*dy, sxx+dx*dx, syy+dy*dy
	}
	if syy == 0 {
		return 0
	}
	return sxy / math.Sqrt(sxx*syy)
}
