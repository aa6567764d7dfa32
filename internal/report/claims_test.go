package report

import (
	"strings"
	"testing"

	"wdlab/internal/runio"
)

// run builds an in-memory Run with final values and a param_norm series.
func run(lr, wd float64, final map[string]float64, norms ...float64) Run {
	r := Run{LR: lr, WD: wd, Summary: &runio.Summary{Final: final}}
	for _, n := range norms {
		r.Points = append(r.Points, runio.Point{"param_norm": n})
	}
	return r
}

func TestClaimsRunsDefaults(t *testing.T) {
	cs := Claims(nil)
	if len(cs) != 3 || cs[0].ID != "S1" || cs[2].ID != "S6" || cs[0].Experiment != "" || cs[2].Verdict != NotMeasured {
		t.Errorf("%+v", cs)
	}
}

// Runs on two datasets are checked per dataset: here WD bounds the norm
// on one and not on the other, which a pooled check would hide.
func TestClaimsPerDataset(t *testing.T) {
	on := func(data string, r Run) Run { r.Config = map[string]any{"data.name": data}; return r }
	runs := []Run{
		on("cifar10", run(0.1, 0, nil, 1, 2, 3, 4, 6)),
		on("cifar10", run(0.1, 0.01, nil, 1, 2, 2, 2, 2)),
		on("tiny-imagenet", run(0.1, 0, nil, 1, 2, 2, 2, 2)),
		on("tiny-imagenet", run(0.1, 0.01, nil, 1, 2, 3, 4, 9)),
	}
	cs := Claims(runs)
	if len(cs) != 6 || cs[0].Claim != "S1: without WD the weight norm keeps growing at a large LR; with WD it stays bounded (cifar10)" || !strings.HasSuffix(cs[1].Claim, "(tiny-imagenet)") {
		t.Fatalf("claims %+v", cs)
	}
	if cs[0].Verdict != Holds || cs[1].Verdict != DoesNotHold {
		t.Errorf("verdicts %s, %s: want holds on cifar10 and does not hold on tiny-imagenet", cs[0].Verdict, cs[1].Verdict)
	}
}
