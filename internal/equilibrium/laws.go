package equilibrium

import (
	"math"
	"slices"
)

// Tolerances of the laws (relative deviation of measured from predicted).
const (
	AngleTol = 0.15 // angular update vs sqrt(2 lr wd)
	NormTol  = 0.20 // ||w||^4 vs lr E||g(w~)||^2 / (2 wd)
	// EllTol is the (informational) tolerance of l'^2 vs EllPrime.Const * wd/lr.
	EllTol = 0.5
	// MinRequiredProduct is the smallest lr*wd whose cells must satisfy the
	// angle and norm laws (below it, a tiny run's burn-in is too short).
	MinRequiredProduct = 1e-4
)

// Law is one comparison of a measurement with the theory's prediction.
// Pass is |measured/predicted - 1| <= tolerance. Required marks the
// comparisons that decide the experiment's overall pass.
type Law struct {
	Predicted float64 `json:"predicted"`
	Measured  float64 `json:"measured"`
	Tolerance float64 `json:"tolerance"`
	Pass      bool    `json:"pass"`
	Required  bool    `json:"required"`
}

// newLaw compares measured with predicted at a relative tolerance.
func newLaw(predicted, measured, tol float64, required bool) Law {
	ok := math.Abs(measured/predicted-1) <= tol
	return Law{Predicted: predicted, Measured: measured, Tolerance: tol, Pass: ok, Required: required}
}

// Group compares the cells that share a product lr*wd: the ratios max/min
// over the group of the RMS angular update, the mean mini-batch train CE,
// the eval-mode train CE and the noise scale l'^2.
type Group struct {
	Product      float64  `json:"lr_wd"`
	Cells        []string `json:"cells"`
	AngleRatio   float64  `json:"angular_update_ratio"`
	BatchCERatio float64  `json:"train_batch_ce_ratio"`
	TrainCERatio float64  `json:"train_ce_ratio"`
	EllRatio     float64  `json:"ell_prime2_ratio"`
}

// EllPrime summarises Prop. 2's l'^2 ~ wd/lr over all cells: the ratio
// l'^2 / (wd/lr) per cell has geometric mean Const and max/min Spread
// (1 = the ratio is constant across cells). Prop. 2 assumes ||w|| in a
// fixed [a, b]; at the free equilibrium ||w||^2 grows like sqrt(lr/wd), so
// the ratio can spread across cells with different lr/wd while l'^2 stays
// equal within an equal-product group (Group.EllRatio).
type EllPrime struct {
	Const  float64 `json:"const"`
	Spread float64 `json:"spread"`
}

// LawSummary counts how many cells pass one law.
type LawSummary struct {
	Name        string  `json:"name"`
	Description string  `json:"description"`
	Tolerance   float64 `json:"tolerance"`
	Passed      int     `json:"passed"`
	Total       int     `json:"total"`
	// RequiredPassed and RequiredTotal count the cells with lr*wd >= MinRequiredProduct.
	RequiredPassed int `json:"required_passed"`
	RequiredTotal  int `json:"required_total"`
}

// applyLaws fills each measured cell's Laws and returns the per-law
// summaries, the equal-product groups and the l'^2 summary.
func applyLaws(cells []Cell) ([]LawSummary, []Group, EllPrime) {
	sums := []LawSummary{
		{Name: "angle", Description: "RMS angular update per step of the scale-invariant group = sqrt(2 lr wd)", Tolerance: AngleTol},
		{Name: "norm", Description: "E||w||^4 = lr E[||g||^2 ||w||^2] / (2 wd) (norm equilibrium, paper Section 2)", Tolerance: NormTol},
		{Name: "ell_prime", Description: "mean ||softmax - onehot||^2 = C wd/lr with one constant C for all cells (paper, Proposition 2; informational)", Tolerance: EllTol},
	}
	ell := ellPrime(cells)
	for i := range cells {
		c := &cells[i]
		if c.Diverged {
			continue
		}
		req := c.Product >= MinRequiredProduct
		c.Laws = map[string]Law{
			"angle":     newLaw(math.Sqrt(2*c.Product), c.AngleRMS, AngleTol, req),
			"norm":      newLaw(c.LR*c.GradSqUnit/(2*c.WD), c.W4, NormTol, req),
			"ell_prime": newLaw(ell.Const*c.WD/c.LR, c.EllPrime2, EllTol, false),
		}
		for j := range sums {
			l := c.Laws[sums[j].Name]
			sums[j].Total++
			if l.Pass {
				sums[j].Passed++
			}
			if l.Required {
				sums[j].RequiredTotal++
				if l.Pass {
					sums[j].RequiredPassed++
				}
			}
		}
	}
	return sums, groups(cells), ell
}

// groups collects the cells of each product and their spreads.
func groups(cells []Cell) []Group {
	var out []Group
	for _, c := range cells {
		if c.Diverged {
			continue
		}
		i := slices.IndexFunc(out, func(g Group) bool { return math.Abs(g.Product/c.Product-1) < 1e-9 })
		if i < 0 {
			out = append(out, Group{Product: c.Product})
			i = len(out) - 1
		}
		out[i].Cells = append(out[i].Cells, c.Name)
	}
	for i := range out {
		g := &out[i]
		in := func(c Cell) bool { return !c.Diverged && slices.Contains(g.Cells, c.Name) }
		g.AngleRatio = spread(cells, in, func(c Cell) float64 { return c.AngleRMS })
		g.BatchCERatio = spread(cells, in, func(c Cell) float64 { return c.TrainCE })
		g.TrainCERatio = spread(cells, in, func(c Cell) float64 { return c.EvalTrainCE })
		g.EllRatio = spread(cells, in, func(c Cell) float64 { return c.EllPrime2 })
	}
	return out
}

// ellPrime summarises the ratio l'^2 / (wd/lr) over all measured cells.
func ellPrime(cells []Cell) EllPrime {
	var logSum float64
	n := 0
	for _, c := range cells {
		if !c.Diverged {
			logSum += math.Log(c.EllRatio)
			n++
		}
	}
	if n == 0 {
		return EllPrime{}
	}
	all := func(c Cell) bool { return !c.Diverged }
	return EllPrime{Const: math.Exp(logSum / float64(n)), Spread: spread(cells, all, func(c Cell) float64 { return c.EllRatio })}
}

// spread is max/min of f over the cells accepted by in (0 when undefined).
func spread(cells []Cell, in func(Cell) bool, f func(Cell) float64) float64 {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, c := range cells {
		if in(c) {
			lo, hi = min(lo, f(c)), max(hi, f(c))
		}
	}
	if !(lo > 0) || math.IsInf(hi, 0) {
		return 0
	}
	return hi / lo
}
