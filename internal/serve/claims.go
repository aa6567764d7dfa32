package serve

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"wdlab/internal/report"
)

// ClaimsFile is the name of the report's claims file (written next to its
// index.html).
const ClaimsFile = "claims.json"

// Claim is one checked claim as the app shows it: the fields of the
// report's claims.json.
type Claim struct {
	Experiment string `json:"experiment"`
	ID         string `json:"id"`
	Claim      string `json:"claim"`
	Verdict    string `json:"verdict"`
	Evidence   string `json:"evidence"`
	Seeds      int    `json:"seeds"`
	Source     string `json:"source"` // claims.json path relative to the root, or "computed"
}

// claimFiles returns the claims.json files at most three folders below
// root (root/claims.json, root/report/claims.json, root/exp/report/...),
// sorted.
func claimFiles(root string) []string {
	var out []string
	pattern := ClaimsFile
	for depth := 0; depth <= 3; depth++ {
		m, _ := filepath.Glob(filepath.Join(root, pattern))
		out = append(out, m...)
		pattern = filepath.Join("*", pattern)
	}
	sort.Strings(out)
	return out
}

// readClaims reads a claims.json file: a JSON list of claims.
func readClaims(path, source string) ([]Claim, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var cs []Claim
	if err := json.Unmarshal(data, &cs); err != nil {
		return nil, fmt.Errorf("%s: %v", source, err)
	}
	for i := range cs {
		cs[i].Source = source
	}
	return cs, nil
}

// computedClaims is the one adapter from the report's claim checks to the
// app's claims, used where no claims.json exists yet.
func computedClaims(runs []report.Run) []Claim {
	var out []Claim
	for _, c := range report.Claims(runs) {
		out = append(out, Claim{Experiment: c.Experiment, ID: c.ID, Claim: c.Claim, Verdict: string(c.Verdict), Evidence: c.Evidence, Seeds: c.Seeds, Source: "computed"})
	}
	return out
}
