package runio

import (
	"encoding/json"
	"fmt"
	"os"
)

// Summary is the content of summary.json.
type Summary struct {
	Status string             // completed, diverged, failed, interrupted or running
	Name   string             // the run's name
	WallS  float64            // wall-clock seconds of training
	Final  map[string]float64 // metric values at the end of training
	Best   map[string]float64 // best value of each metric over training
}

// ReadSummary reads and validates a summary.json file. Unknown keys are
// ignored; null metric values are dropped.
func ReadSummary(path string) (*Summary, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var raw struct {
		Status string         `json:"status"`
		Name   string         `json:"name"`
		WallS  any            `json:"wall_s"`
		Final  map[string]any `json:"final"`
		Best   map[string]any `json:"best"`
	}
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	switch raw.Status {
	case StatusCompleted, StatusDiverged, StatusFailed, StatusRunning, StatusInterrupted:
	default:
		return nil, fmt.Errorf("%s: unknown status %q", path, raw.Status)
	}
	s := &Summary{Status: raw.Status, Name: raw.Name}
	if w, ok, err := toFloat(raw.WallS); err != nil {
		return nil, fmt.Errorf("%s: wall_s: %v", path, err)
	} else if ok {
		s.WallS = w
	}
	if s.Final, err = toFloatMap(raw.Final); err != nil {
		return nil, fmt.Errorf("%s: final: %v", path, err)
	}
	if s.Best, err = toFloatMap(raw.Best); err != nil {
		return nil, fmt.Errorf("%s: best: %v", path, err)
	}
	return s, nil
}
