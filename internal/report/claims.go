package report

import (
	"fmt"
	"sort"
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
	Seeds      int     `json:"seeds"`    // the fewest runs behind any mean compared: the seeds of a setting, or a pooled group (0 when not measured)
}

// ClaimFunc checks one claim.
type ClaimFunc func(runs []Run) Claim

// DefaultClaimIDs are the claims checked for runs of no known experiment
// (a plain sweep): the ones any grid of lr and wd can show.
var DefaultClaimIDs = []string{"S1", "S5", "S6"}

// Claims checks DefaultClaimIDs against the runs.
func Claims(runs []Run) []Claim { return ExperimentChecks("", DefaultClaimIDs)(runs) }

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
