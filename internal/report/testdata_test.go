package report

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// fakeRun describes a synthetic run directory.
type fakeRun struct {
	name            string
	lr, wd          float64
	normSlope       float64 // param_norm = 1 + normSlope*epoch
	testErr, emaErr float64 // final values
	jac             float64 // final ema_jac_norm
	epochs          int
	extra           map[string]float64 // more keys at every point
}

// writeFakeRun writes config.yaml, metrics.jsonl and summary.json.
func writeFakeRun(t *testing.T, dir string, f fakeRun) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	cfg := fmt.Sprintf("seed: 0\noptim:\n  lr: %v\n  wd: %v\n", f.lr, f.wd)
	if err := os.WriteFile(filepath.Join(dir, "config.yaml"), []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	var lines []byte
	for e := 1; e <= f.epochs; e++ {
		frac := float64(e) / float64(f.epochs)
		p := map[string]float64{
			"epoch": float64(e), "step": float64(100 * e), "lr": f.lr, "wd": f.wd,
			"test_err": 0.9 - (0.9-f.testErr)*frac, "ema_test_err": 0.9 - (0.9-f.emaErr)*frac,
			"train_ce": 2.0 / float64(e), "ema_train_ce": 1.5 / float64(e),
			"param_norm": 1 + f.normSlope*float64(e), "ema_jac_norm": f.jac * (2 - frac), "wall_s": float64(e),
		}
		for k, v := range f.extra {
			p[k] = v * frac
		}
		b, _ := json.Marshal(p)
		lines = append(append(lines, b...), '\n')
	}
	if err := os.WriteFile(filepath.Join(dir, "metrics.jsonl"), lines, 0o644); err != nil {
		t.Fatal(err)
	}
	sum, _ := json.Marshal(map[string]any{
		"status": "completed", "name": f.name, "wall_s": float64(f.epochs),
		"final": map[string]float64{"test_err": f.testErr, "ema_test_err": f.emaErr, "ema_jac_norm": f.jac},
	})
	if err := os.WriteFile(filepath.Join(dir, "summary.json"), sum, 0o644); err != nil {
		t.Fatal(err)
	}
}

// fourRuns is a 2x2 lr x wd grid where WD bounds the norm, the EMA beats
// the iterate and large lr + wd is best.
var fourRuns = []fakeRun{
	{name: "small-lr-no-wd", lr: 0.01, wd: 0, normSlope: 0.1, testErr: 0.30, emaErr: 0.28, jac: 9, epochs: 10},
	{name: "small-lr-wd", lr: 0.01, wd: 0.01, normSlope: 0, testErr: 0.29, emaErr: 0.27, jac: 7, epochs: 10},
	{name: "large-lr-no-wd", lr: 0.1, wd: 0, normSlope: 0.1, testErr: 0.30, emaErr: 0.20, jac: 5, epochs: 10},
	{name: "large-lr-wd", lr: 0.1, wd: 0.01, normSlope: 0, testErr: 0.20, emaErr: 0.10, jac: 3, epochs: 10},
}

// writeFourRuns writes fourRuns under root/sweep/cells/ and returns root.
func writeFourRuns(t *testing.T) string {
	t.Helper()
	root := t.TempDir()
	for i, f := range fourRuns {
		writeFakeRun(t, filepath.Join(root, "sweep", "cells", fmt.Sprintf("%04d", i)), f)
	}
	return root
}
