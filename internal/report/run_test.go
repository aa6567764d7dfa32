package report

import (
	"math"
	"path/filepath"
	"testing"
)

func TestLoadRunsAndLabels(t *testing.T) {
	root := t.TempDir()
	writeFakeRun(t, filepath.Join(root, "a"), fakeRun{name: "same", lr: 0.1, wd: 0, epochs: 3})
	writeFakeRun(t, filepath.Join(root, "b"), fakeRun{name: "same", lr: 0.1, wd: 0.01, epochs: 3})
	writeFakeRun(t, filepath.Join(root, "c", "seed1"), fakeRun{name: "same", lr: 0.1, wd: 0.01, epochs: 3})
	writeFakeRun(t, filepath.Join(root, "d"), fakeRun{name: "solo", lr: 0.2, wd: 0, epochs: 3})
	runs, err := LoadRuns(root)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"a": "same lr=0.1 wd=0", "b": "same b", "c/seed1": "same c/seed1", "d": "solo"}
	if len(runs) != 4 {
		t.Fatalf("%d runs", len(runs))
	}
	for _, r := range runs {
		if r.Label != want[r.Dir] {
			t.Errorf("%s: label %q, want %q", r.Dir, r.Label, want[r.Dir])
		}
	}
	r := runs[0]
	if r.LR != 0.1 || r.WD != 0 || len(r.Points) != 3 || r.Status != "completed" {
		t.Errorf("run a: %+v", r)
	}
	// Final prefers summary.json; otherwise the last finite point.
	if v, ok := r.Final("test_err"); !ok || v != 0 {
		t.Errorf("final test_err %v %v", v, ok)
	}
	if v, ok := r.Final("param_norm"); !ok || v != 1 {
		t.Errorf("final param_norm from the points: %v %v", v, ok)
	}
	if _, ok := r.Final("nope"); ok {
		t.Error("an unrecorded key has no final value")
	}
	xs, ys := r.Series("epoch", "train_ce")
	if len(xs) != 3 || xs[2] != 3 || math.Abs(ys[2]-2.0/3) > 1e-12 {
		t.Errorf("series %v %v", xs, ys)
	}
}
