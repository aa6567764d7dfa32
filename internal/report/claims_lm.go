package report

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"wdlab/internal/runio"
)

// The language-model claims L1-L5 (Section 4 and Figs. 6-8) are checked on
// seed means and spreads: a difference counts only when it exceeds the sum
// of the two settings' seed standard deviations.

// l1MinSeeds is the number of seeds per WD L1 needs: its effect (0.02-0.04
// nats at 124M) is the size of seed noise.
const l1MinSeeds = 2

// WDBetterStartingPoint checks L1 on the plain runs and the fine-tunes of
// their mid-run checkpoints: against WD 0, the largest WD has a higher
// val_loss mid-run (at the fine-tunes' start, else the point nearest half
// the steps), a final val_loss no higher, and its fine-tune a lower final
// val_loss. Each difference must exceed the seeds' spread and each WD
// needs at least l1MinSeeds seeds.
func WDBetterStartingPoint(runs []Run) Claim {
	c := Claim{Claim: "L1: WD runs are worse mid-run, at least as good after the cosine decay, and better after tiny-LR fine-tuning from a mid-run checkpoint"}
	plain, note := onePrecision(plainLM(runs))
	mid, ok := l1MidStep(runs, plain)
	if !ok {
		c.Verdict, c.Evidence = NotMeasured, "needs language-model runs at wd = 0 and wd > 0"
		return c
	}
	wds, midBy := wdGroups(plain, atStep("val_loss", mid))
	_, endBy := wdGroups(plain, finalOf("val_loss"))
	if len(wds) < 2 || wds[0] != 0 {
		c.Verdict, c.Evidence = NotMeasured, "needs language-model runs at wd = 0 and wd > 0 with val_loss at step "+num(mid)
		return c
	}
	hi := wds[len(wds)-1]
	midOK := midBy[hi].above(midBy[0])
	endOK := !endBy[hi].above(endBy[0])
	ev := []string{
		fmt.Sprintf("val_loss at step %s: %s", num(mid), describeGroups(wds, midBy)),
		fmt.Sprintf("final val_loss: %s", describeGroups(wds, endBy)),
	}
	ftWDs, ftBy := fineTuneGroups(runs, plain)
	ftMeasured := len(ftWDs) >= 2 && ftWDs[0] == 0
	ftOK := false
	if ftMeasured {
		top := ftWDs[len(ftWDs)-1]
		ftOK = ftBy[0].above(ftBy[top])
		ev = append(ev, "fine-tuned final val_loss by the source's wd: "+describeGroups(ftWDs, ftBy))
	} else {
		ev = append(ev, "no fine-tunes (train.init_state) of wd = 0 and wd > 0 runs")
	}
	few := false
	for _, wd := range wds {
		few = few || midBy[wd].N < l1MinSeeds
	}
	for _, wd := range ftWDs {
		few = few || ftBy[wd].N < l1MinSeeds
	}
	switch {
	case few:
		c.Verdict = NotMeasured
		ev = append(ev, fmt.Sprintf("needs at least %d seeds per wd", l1MinSeeds))
	case !midOK || !endOK || (ftMeasured && !ftOK):
		c.Verdict = DoesNotHold
	case !ftMeasured:
		c.Verdict = NotMeasured
	default:
		c.Verdict = Holds
	}
	head := fmt.Sprintf("wd %s vs 0: mid-run worse %v, end not worse %v", num(hi), midOK, endOK)
	if ftMeasured {
		head += fmt.Sprintf(", fine-tuned better %v", ftOK)
	}
	c.Evidence = head + note + "; " + strings.Join(ev, "; ")
	return c
}

// l1MidStep is the step the fine-tunes started from (train.init_step),
// else the evaluation step nearest half of the plain runs' train.steps.
func l1MidStep(runs, plain []Run) (float64, bool) {
	for _, r := range runs {
		if s, ok := runio.ConfigNumber(r.Config, "train.init_step"); ok && isFineTune(r) && s > 0 {
			return s, true
		}
	}
	if len(plain) == 0 {
		return 0, false
	}
	steps, _ := runio.ConfigNumber(plain[0].Config, "train.steps")
	best, ok := 0.0, false
	for _, p := range plain[0].Points {
		if s, has := p["step"]; has && (!ok || math.Abs(s-steps/2) < math.Abs(best-steps/2)) {
			best, ok = s, true
		}
	}
	return best, ok
}

// fineTuneGroups groups the fine-tunes' final val_loss by their source
// run's WD.
func fineTuneGroups(runs, plain []Run) ([]float64, map[float64]stat) {
	var fts []Run
	for _, r := range runs {
		if !isFineTune(r) {
			continue
		}
		if src, ok := sourceOf(plain, cfgString(r, "train.init_from")); ok {
			r.WD = src.WD
			fts = append(fts, r)
		}
	}
	return wdGroups(fts, finalOf("val_loss"))
}

// WDLargerEffectiveLR checks L2: at the end of training the largest WD has
// a larger effective LR (decayed_eff_lr = lr/||w_decayed||) and a smaller
// decayed norm (decayed_norm) than WD 0, beyond the seeds' spread; and where WD-0 runs keep a
// constant LR, their squared decayed norm grows about linearly in the
// steps (norm ∝ sqrt(t): a fitted exponent in [0.7, 1.3]).
func WDLargerEffectiveLR(runs []Run) Claim {
	c := Claim{Claim: "L2: WD gives a larger effective LR lr/||w||; without WD the norm grows like sqrt(t) at a constant LR"}
	plain, note := onePrecision(plainLM(runs))
	wds, elr := wdGroups(plain, finalOf("decayed_eff_lr"))
	_, norm := wdGroups(plain, finalOf("decayed_norm"))
	if len(wds) < 2 || wds[0] != 0 {
		c.Verdict, c.Evidence = NotMeasured, "needs language-model runs at wd = 0 and wd > 0 that record decayed_eff_lr"
		return c
	}
	hi := wds[len(wds)-1]
	ok := elr[hi].above(elr[0]) && norm[0].above(norm[hi])
	c.Evidence = fmt.Sprintf("final decayed_eff_lr%s: %s; final decayed_norm: %s", note, describeGroups(wds, elr), describeGroups(wds, norm))
	var exps []float64
	for _, r := range plain {
		if r.WD == 0 && constantLR(r) {
			if p, fit := sqNormExponent(r); fit {
				exps = append(exps, p)
			}
		}
	}
	if len(exps) > 0 {
		e := statOf(exps)
		ok = ok && e.Mean >= 0.7 && e.Mean <= 1.3
		c.Evidence += fmt.Sprintf("; constant LR, wd = 0: ||w||^2 - ||w_0||^2 grows like t^%s", e)
	}
	c.Verdict = verdict(ok)
	return c
}

// constantLR reports whether r's LR is constant after any warm-up.
func constantLR(r Run) bool {
	if cfgString(r, "optim.schedule") == "constant" {
		return true
	}
	lr, ok1 := runio.ConfigNumber(r.Config, "optim.lr")
	minLR, ok2 := runio.ConfigNumber(r.Config, "optim.min_lr")
	return cfgString(r, "optim.schedule") == "cosine" && ok1 && ok2 && lr == minLR
}

// sqNormExponent fits log(n_t^2 - n_0^2) = a + p log t by least squares
// over r's evaluation points after the warm-up (at least 3).
func sqNormExponent(r Run) (float64, bool) {
	steps, norms := r.Series("step", "decayed_norm")
	warm, _ := runio.ConfigNumber(r.Config, "optim.warmup")
	if len(norms) == 0 || steps[0] != 0 {
		return 0, false
	}
	var xs, ys []float64
	for i := range steps {
		if d := norms[i]*norms[i] - norms[0]*norms[0]; steps[i] > warm && d > 0 {
			xs, ys = append(xs, math.Log(steps[i])), append(ys, math.Log(d))
		}
	}
	if len(xs) < 3 {
		return 0, false
	}
	mx, my := mean(xs), mean(ys)
	var sxy, sxx float64
	for i := range xs {
		sxy += (xs[i] - mx) * (ys[i] - my)
		sxx += (xs[i] - mx) * (xs[i] - mx)
	}
	return sxy / sxx, sxx > 0
}

// EffectiveLRMatching checks L3: in fp32, the WD-0 run whose LR follows a
// WD run's effective LR tracks that run's val_loss curve more closely (mean
// absolute difference over the shared evaluation points after step 0)
// than the plain WD-0 run of the same precision does. bf16 pairs are
// reported too (the paper: matching fails there).
func EffectiveLRMatching(runs []Run) Claim {
	c := Claim{Claim: "L3: a WD-0 run following a WD run's effective LR reproduces its loss curve in fp32"}
	plain := plainLM(runs)
	fp32, measured := false, false
	var ev []string
	for _, m := range runs {
		if !isMatched(m) {
			continue
		}
		ref, ok := sourceOf(runs, cfgString(m, "optim.match_eff_lr"))
		prec := precisionOf(m)
		var nowd Run
		found := false
		for _, r := range plain {
			if r.WD == 0 && precisionOf(r) == prec {
				nowd, found = r, true
			}
		}
		if !ok || !found {
			continue
		}
		dm, dn := curveGap(m, ref), curveGap(nowd, ref)
		if math.IsNaN(dm) || math.IsNaN(dn) {
			continue
		}
		ev = append(ev, fmt.Sprintf("%s: mean |val_loss - WD run's| %s matched vs %s plain wd = 0", prec, num(dm), num(dn)))
		if prec == "fp32" {
			measured, fp32 = true, dm < dn
		}
	}
	if !measured {
		c.Verdict = NotMeasured
		c.Evidence = "needs an fp32 run with optim.match_eff_lr, the run it follows and a plain wd = 0 run"
		if len(ev) > 0 {
			c.Evidence += "; " + strings.Join(ev, "; ")
		}
		return c
	}
	c.Verdict, c.Evidence = verdict(fp32), strings.Join(ev, "; ")
	return c
}

// precisionOf is r's precision (fp32 unless configured).
func precisionOf(r Run) string {
	if p := cfgString(r, "precision"); p != "" {
		return p
	}
	return "fp32"
}

// curveGap is the mean |val_loss(a) - val_loss(b)| over the steps > 0 both
// evaluate (NaN when none).
func curveGap(a, b Run) float64 {
	bv := map[float64]float64{}
	for _, p := range b.Points {
		if s, ok := p["step"]; ok && s > 0 {
			if v, ok := p["val_loss"]; ok && finite(v) {
				bv[s] = v
			}
		}
	}
	var d []float64
	for _, p := range a.Points {
		v, ok := p["val_loss"]
		w, both := bv[p["step"]]
		if ok && both && finite(v) {
			d = append(d, math.Abs(v-w))
		}
	}
	if len(d) == 0 {
		return math.NaN()
	}
	return mean(d)
}

// degradeTolerance is how far (nats) beyond the seeds' spread a bf16
// final val_loss must exceed the fp32 WD-0 one for L4 to count it as
// degraded.
const degradeTolerance = 0.05

// l4Cell is the runs of one (lr, precision, wd) setting.
type l4Cell struct {
	runs, div int
	loss      []float64
}

// bad reports whether the cell diverged or degraded against ref (fp32 WD 0).
func (c *l4Cell) bad(ref *l4Cell) bool {
	if c.div > 0 {
		return true
	}
	if ref == nil || len(ref.loss) == 0 || len(c.loss) == 0 {
		return false
	}
	a, b := statOf(c.loss), statOf(ref.loss)
	return a.Mean-b.Mean > a.Spread+b.Spread+degradeTolerance
}

func (c *l4Cell) String() string {
	s := fmt.Sprintf("%d/%d diverged", c.div, c.runs)
	if len(c.loss) > 0 {
		s += ", val_loss " + statOf(c.loss).String()
	}
	return s
}

// BF16NeedsWD checks L4: at some LR the bf16 runs without WD diverge, or
// end with a val_loss above the fp32 WD-0 runs' by more than the seeds'
// spread plus degradeTolerance, while the bf16 runs of some WD > 0 do
// neither.
func BF16NeedsWD(runs []Run) Claim {
	c := Claim{Claim: "L4: without WD bf16 training diverges or degrades at an LR where bf16 with WD trains"}
	type key struct {
		lr, prec string
		wd       float64
	}
	cells := map[key]*l4Cell{}
	lrWDs := map[string][]float64{}
	for _, r := range plainLM(runs) {
		k := key{num(r.LR), precisionOf(r), r.WD}
		if cells[k] == nil {
			cells[k] = &l4Cell{}
			if k.prec == "bf16" {
				lrWDs[k.lr] = append(lrWDs[k.lr], r.WD)
			}
		}
		x := cells[k]
		x.runs++
		if diverged(r) {
			x.div++
		} else if v, ok := r.Final("val_loss"); ok {
			x.loss = append(x.loss, v)
		}
	}
	var lrs []string
	for lr := range lrWDs {
		lrs = append(lrs, lr)
	}
	sort.Strings(lrs)
	measured, holds := false, false
	var ev []string
	for _, lr := range lrs {
		wds := lrWDs[lr]
		sort.Float64s(wds)
		b0, ref := cells[key{lr, "bf16", 0}], cells[key{lr, "fp32", 0}]
		if b0 == nil || len(wds) < 2 {
			continue
		}
		measured = true
		line := fmt.Sprintf("lr %s: bf16 wd=0 %s", lr, b0)
		survives := false
		for _, wd := range wds[1:] {
			x := cells[key{lr, "bf16", wd}]
			survives = survives || !x.bad(ref)
			line += fmt.Sprintf("; bf16 wd=%s %s", num(wd), x)
		}
		if ref != nil {
			line += "; fp32 wd=0 " + ref.String()
		}
		holds = holds || (b0.bad(ref) && survives)
		ev = append(ev, line)
	}
	if !measured {
		c.Verdict, c.Evidence = NotMeasured, "needs bf16 runs with wd = 0 and wd > 0 at the same lr"
		return c
	}
	c.Verdict, c.Evidence = verdict(holds), strings.Join(ev, " | ")
	return c
}

// gapTolerance is the largest |val_loss - train_loss| (nats) L5 counts as
// no gap, beyond the seeds' spread.
const gapTolerance = 0.05

// NoGeneralisationGap checks L5: for every WD the final val_loss -
// train_loss of the plain runs is within gapTolerance (plus the seeds'
// spread) of zero.
func NoGeneralisationGap(runs []Run) Claim {
	c := Claim{Claim: "L5: in one-pass training the generalisation gap (val_loss - train_loss) is about zero for every WD"}
	gap := func(r Run) (float64, bool) {
		v, ok1 := r.Final("val_loss")
		t, ok2 := r.Final("train_loss")
		return v - t, ok1 && ok2
	}
	plain, note := onePrecision(plainLM(runs))
	wds, by := wdGroups(plain, gap)
	if len(wds) == 0 {
		c.Verdict, c.Evidence = NotMeasured, "needs language-model runs recording train_loss and val_loss"
		return c
	}
	ok := true
	for _, wd := range wds {
		ok = ok && math.Abs(by[wd].Mean) <= gapTolerance+by[wd].Spread
	}
	c.Verdict = verdict(ok)
	c.Evidence = fmt.Sprintf("final val_loss - train_loss%s (tolerance %s nats): %s", note, num(gapTolerance), describeGroups(wds, by))
	return c
}
