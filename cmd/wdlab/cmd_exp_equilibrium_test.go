package main

import (
	"strings"
	"testing"

	"wdlab/internal/equilibrium"
	"wdlab/internal/report"
)

// S1 holds when the angle and norm laws pass in every required cell; the
// informational l' law does not count.
func TestEquilibriumClaim(t *testing.T) {
	laws := func(anglePassed, ellPassed int) *equilibrium.Summary {
		return &equilibrium.Summary{Laws: []equilibrium.LawSummary{
			{Name: "angle", Passed: anglePassed, Total: 4, RequiredPassed: anglePassed, RequiredTotal: 3},
			{Name: "norm", Passed: 4, Total: 4, RequiredPassed: 3, RequiredTotal: 3},
			{Name: "ell_prime", Passed: ellPassed, Total: 4},
		}}
	}
	c := equilibriumClaim(laws(3, 0))
	if c.Verdict != report.Holds || c.ID != "S1" || c.Experiment != "equilibrium" || !strings.Contains(c.Evidence, "angle law") || strings.Contains(c.Evidence, "ell_prime") {
		t.Errorf("%+v", c)
	}
	if c := equilibriumClaim(laws(2, 4)); c.Verdict != report.DoesNotHold {
		t.Errorf("a required angle cell fails: %+v", c)
	}
	if c := equilibriumClaim(&equilibrium.Summary{}); c.Verdict != report.NotMeasured {
		t.Errorf("no laws: %+v", c)
	}
}
