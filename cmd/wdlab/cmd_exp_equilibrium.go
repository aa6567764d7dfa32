package main

import (
	"context"
	"fmt"
	"io"

	"wdlab/internal/equilibrium"
	"wdlab/internal/exp"
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
	return nil
}
