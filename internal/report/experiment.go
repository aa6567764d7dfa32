package report

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"wdlab/internal/runio"
)

// ExperimentFile, in a directory of runs, names the catalog experiment
// they belong to; `wdlab exp run` writes it, Render reads it.
const ExperimentFile = "experiment.json"

// ClaimsFile is the list of checked claims Render writes next to IndexFile.
const ClaimsFile = "claims.json"

// ExperimentInfo is the content of ExperimentFile.
type ExperimentInfo struct {
	Name   string   `json:"name"`
	Scale  string   `json:"scale"`
	Claims []string `json:"claims"` // the claim IDs to check (keys of ClaimChecks)
}

// WriteExperiment writes dir/ExperimentFile.
func WriteExperiment(dir string, e ExperimentInfo) error {
	return runio.WriteJSONAtomic(filepath.Join(dir, ExperimentFile), e)
}

// ReadExperiment reads dir/ExperimentFile; nil without error when the
// directory has none (a plain sweep).
func ReadExperiment(dir string) (*ExperimentInfo, error) {
	b, err := os.ReadFile(filepath.Join(dir, ExperimentFile))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var e ExperimentInfo
	if err := json.Unmarshal(b, &e); err != nil {
		return nil, fmt.Errorf("%s: %v", filepath.Join(dir, ExperimentFile), err)
	}
	return &e, nil
}

// WriteClaims writes the claims as a JSON list to dir/ClaimsFile.
func WriteClaims(dir string, claims []Claim) error {
	if claims == nil {
		claims = []Claim{}
	}
	return runio.WriteJSONAtomic(filepath.Join(dir, ClaimsFile), claims)
}
