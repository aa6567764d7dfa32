package report

import (
	"testing"

	"wdlab/internal/runio"
)

// Runs that differ only in seed (and executor) form one group with the
// mean and sample standard deviation of their final errors; a setting run
// once forms none.
func TestSeedGroups(t *testing.T) {
	mk := func(lr float64, seed int, executor string, testErr float64) Run {
		return Run{Config: map[string]any{"optim.lr": lr, "seed": seed, "executor": executor, "data.name": "x"},
			Summary: &runio.Summary{Final: map[string]float64{"test_err": testErr}}}
	}
	runs := []Run{mk(0.1, 1, "native", 0.10), mk(0.1, 2, "gomlx", 0.14), mk(0.1, 3, "native", 0.12), mk(0.01, 1, "native", 0.3)}
	gs := seedGroups(runs)
	if len(gs) != 1 {
		t.Fatalf("%d groups, want 1: %+v", len(gs), gs)
	}
	g := gs[0]
	if g.Setting != "optim.lr=0.1" || len(g.Seeds) != 3 || g.Seeds[0] != "1" || g.Stats[0] != "0.12 ± 0.02 (n=3)" || g.Stats[1] != "" {
		t.Errorf("group %+v", g)
	}
}
