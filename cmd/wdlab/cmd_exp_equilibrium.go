package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"wdlab/internal/equilibrium"
	"wdlab/internal/exp"
	"wdlab/internal/report"
)

// The equilibrium experiment is a custom runner: `wdlab exp run equilibrium`.
func init() { exp.RegisterCustom("equilibrium", runEquilibrium) }

// runEquilibrium runs the laws experiment and prints its verdicts.
func runEquilibrium(ctx context.Context, scale string, _ map[string]string, out string, log io.Writer) error {
	s, err := equilibrium.Run(ctx, scale, out, log)
	if err != nil {
		return err
	}
	for _, l := range s.Laws {
		fmt.Printf("%s: %d/%d cells pass (%d/%d required) - %s, tolerance %g\n",
			l.Name, l.Passed, l.Total, l.RequiredPassed, l.RequiredTotal, l.Description, l.Tolerance)
	}
	fmt.Printf("l'^2/(wd/lr): constant %.4g, spread max/min %.3g\n", s.EllPrime.Const, s.EllPrime.Spread)
	for _, g := range s.Groups {
		fmt.Printf("lr*wd=%g: angle ratio %.3f, train CE ratio %.3f (batch %.3f), l'^2 ratio %.3f over %d cells\n",
			g.Product, g.AngleRatio, g.TrainCERatio, g.BatchCERatio, g.EllRatio, len(g.Cells))
	}
	verdict := "PASS"
	if !s.Pass {
		verdict = "FAIL"
	}
	fmt.Printf("%s: %s in %.1fs (%s)\n", out, verdict, s.WallS, s.Data)
	return report.WriteClaims(out, []report.Claim{equilibriumClaim(s)})
}

// equilibriumClaim is S1 from the laws: it holds when the angle and norm
// laws pass in every cell whose lr*wd is large enough to equilibrate.
func equilibriumClaim(s *equilibrium.Summary) report.Claim {
	c := report.Claim{Experiment: "equilibrium", ID: "S1", Seeds: 1,
		Claim: "S1: with WD the norm of the scale-invariant weights equilibrates: angular update sqrt(2 lr wd), ||w||^4 = lr E||g||^2/(2 wd)"}
	holds, measured := true, false
	var parts []string
	for _, l := range s.Laws {
		if l.Name != "angle" && l.Name != "norm" {
			continue
		}
		measured = measured || l.RequiredTotal > 0
		holds = holds && l.RequiredPassed == l.RequiredTotal
		parts = append(parts, fmt.Sprintf("%s law (%s, tolerance %g): %d/%d cells with lr*wd >= %g pass (%d/%d in all)",
			l.Name, l.Description, l.Tolerance, l.RequiredPassed, l.RequiredTotal, equilibrium.MinRequiredProduct, l.Passed, l.Total))
	}
	switch {
	case !measured:
		c.Verdict, c.Evidence = report.NotMeasured, "no cell reached lr*wd large enough for the laws"
	case holds:
		c.Verdict = report.Holds
	default:
		c.Verdict = report.DoesNotHold
	}
	if measured {
		c.Evidence = strings.Join(parts, "; ")
	}
	return c
}
