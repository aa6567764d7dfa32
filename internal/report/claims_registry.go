package report

import (
	"sort"
	"strings"
)

// ClaimChecks maps the claim IDs (S1-S10 vision, L1-L5 language models; the
// README's claims tables say what each states) to their checks. A catalog
// experiment's `claims` list names the IDs its report checks.
var ClaimChecks = map[string]ClaimFunc{
	"S1":  NormEquilibrium,
	"S2":  LossStabilises,
	"S3":  WDHelpsOnlyLargeLR,
	"S5":  AveragingBeatsIterate,
	"S6":  OptimalProduct,
	"S7":  ProductTrends,
	"S8":  SphereUShape,
	"S9":  HessianTracksError,
	"S10": WDHelpsAtEverySize,
	"L1":  WDBetterStartingPoint,
	"L2":  WDLargerEffectiveLR,
	"L3":  EffectiveLRMatching,
	"L4":  BF16NeedsWD,
	"L5":  NoGeneralisationGap,
}

// ExperimentChecks returns a claims function for the named experiment that
// runs the checks of ids, in order, and fills in Experiment and ID. An ID
// without a check gives a "not measured" claim that says so.
func ExperimentChecks(experiment string, ids []string) func(runs []Run) []Claim {
	return func(runs []Run) []Claim {
		var out []Claim
		for _, id := range ids {
			f, ok := ClaimChecks[id]
			if !ok {
				f = func([]Run) Claim {
					return Claim{Claim: id, Verdict: NotMeasured, Evidence: "no check for claim " + id + " in this build (known: " + knownIDs() + ")"}
				}
			}
			for _, c := range CheckClaims(runs, []ClaimFunc{f}) {
				c.Experiment, c.ID = experiment, id
				out = append(out, c)
			}
		}
		return out
	}
}

// knownIDs lists the IDs of ClaimChecks, sorted.
func knownIDs() string {
	ids := make([]string, 0, len(ClaimChecks))
	for id := range ClaimChecks {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return strings.Join(ids, ", ")
}
