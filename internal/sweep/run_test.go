package sweep

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"wdlab/internal/config"
	"wdlab/internal/store"
)

// fakeTrainer stands in for `wdlab train`: it writes a run directory and
// records every call.
type fakeTrainer struct {
	mu       sync.Mutex
	fail     func(Job) bool // fail this call?
	calls    map[int][]Job
	ok       map[int]int
	running  int
	maxAtOne int
}

func (f *fakeTrainer) run(ctx context.Context, job Job) error {
	f.mu.Lock()
	if f.calls == nil {
		f.calls, f.ok = map[int][]Job{}, map[int]int{}
	}
	f.calls[job.Index] = append(f.calls[job.Index], job)
	f.running++
	f.maxAtOne = max(f.maxAtOne, f.running)
	fail := f.fail != nil && f.fail(job)
	f.mu.Unlock()
	defer func() { f.mu.Lock(); f.running--; f.mu.Unlock() }()

	os.MkdirAll(filepath.Join(job.Dir, "checkpoints"), 0o755)
	os.WriteFile(filepath.Join(job.Dir, "config.yaml"), []byte("optim:\n  lr: 0.1\n"), 0o644)
	os.WriteFile(filepath.Join(job.Dir, "metrics.jsonl"), []byte(fmt.Sprintf(`{"step":1,"test_err":0.%d}`+"\n", job.Index+1)), 0o644)
	if fail {
		// Died mid-training: a checkpoint and a summary still saying running.
		os.WriteFile(filepath.Join(job.Dir, "checkpoints", "step1.safetensors"), []byte("x"), 0o644)
		os.WriteFile(filepath.Join(job.Dir, "summary.json"), []byte(`{"status":"running"}`), 0o644)
		return errors.New("exit status 1")
	}
	summary := fmt.Sprintf(`{"status":"completed","wall_s":1,"final":{"test_err":0.%d}}`, job.Index+1)
	os.WriteFile(filepath.Join(job.Dir, "summary.json"), []byte(summary), 0o644)
	f.mu.Lock()
	f.ok[job.Index]++
	f.mu.Unlock()
	return nil
}

func TestRunResumesAKilledSweep(t *testing.T) {
	sw, out := loadTestSweep(t)
	n := sw.NumCells()
	firstPass := true
	f := &fakeTrainer{fail: func(j Job) bool { return firstPass && j.Index > 0 }}
	var progress bytes.Buffer
	err := Run(context.Background(), sw, out, Options{Workers: 1, Runner: f.run, Progress: &progress})
	if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("%d of %d cells failed", n-1, n)) {
		t.Fatalf("first pass: want %d failed cells, got %v", n-1, err)
	}
	if st, err := store.Open(out); err == nil {
		failed, _ := st.List(store.Filter{Status: "failed"})
		st.Close()
		if len(failed) != n-1 {
			t.Errorf("%d cells stored as failed after the first pass, want %d (killed runs still saying running)", len(failed), n-1)
		}
	}
	firstPass = false
	progress.Reset()
	if err := Run(context.Background(), sw, out, Options{Workers: 3, Runner: f.run, Progress: &progress}); err != nil {
		t.Fatalf("second pass: %v", err)
	}
	for i := range n {
		if f.ok[i] != 1 {
			t.Errorf("cell %d succeeded %d times, want exactly once", i, f.ok[i])
		}
		wantCalls := 2
		if i == 0 {
			wantCalls = 1
		}
		if len(f.calls[i]) != wantCalls {
			t.Errorf("cell %d ran %d times, want %d", i, len(f.calls[i]), wantCalls)
		} else if last := f.calls[i][wantCalls-1]; last.Resume != (i > 0) {
			t.Errorf("cell %d: resume = %v on its last run", i, last.Resume)
		}
	}
	if f.calls[0][0].Resume {
		t.Error("a fresh cell must not resume")
	}
	if f.maxAtOne > 3 {
		t.Errorf("%d cells ran at once with 3 workers", f.maxAtOne)
	}
	lines := strings.Split(strings.TrimSpace(progress.String()), "\n")
	if len(lines) != n {
		t.Fatalf("progress:\n%s", progress.String())
	}
	line := regexp.MustCompile(`^\[\d/6\] cell 000\d completed( \d+\.\ds test_err=0\.\d| \(earlier run\) test_err=0\.1)$`)
	for _, l := range lines {
		if !line.MatchString(l) {
			t.Errorf("progress line %q", l)
		}
	}

	st, err := store.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	runs, err := st.List(store.Filter{Experiment: "LR x WD"})
	if err != nil || len(runs) != n {
		t.Fatalf("store: %d runs, %v", len(runs), err)
	}
	for _, r := range runs {
		want := 2
		if r.CellIndex == 0 {
			want = 1
		}
		if r.Status != "completed" || r.Attempts != want {
			t.Errorf("cell %d: status %s, attempts %d (want completed, %d)", r.CellIndex, r.Status, r.Attempts, want)
		}
	}

	// A third run has nothing left to do.
	before := len(f.calls[1])
	if err := Run(context.Background(), sw, out, Options{Runner: f.run}); err != nil || len(f.calls[1]) != before {
		t.Errorf("third pass reran cells: %v", err)
	}
	for _, name := range []string{SweepCopy, CellsFile} {
		if _, err := os.Stat(filepath.Join(out, name)); err != nil {
			t.Error(err)
		}
	}
}

func TestRunOneIndexAndPlanning(t *testing.T) {
	sw, out := loadTestSweep(t)
	f := &fakeTrainer{}
	if err := Run(context.Background(), sw, out, Options{Cells: []int{4}, Runner: f.run}); err != nil {
		t.Fatal(err)
	}
	if len(f.calls) != 1 || len(f.calls[4]) != 1 {
		t.Fatalf("calls %v, want cell 4 only", f.calls)
	}
	j := f.calls[4][0]
	if j.Dir != filepath.Join(out, "cells", "0004-optim.lr=0.1,optim.wd=1e-3") || j.Base != sw.Base ||
		strings.Join(j.Overrides, " ") != "optim.lr=0.1 optim.wd=1e-3" {
		t.Errorf("job %+v", j)
	}
	st, _ := store.Open(out)
	defer st.Close()
	pending, _ := st.List(store.Filter{Status: "pending"})
	if len(pending) != 5 {
		t.Errorf("%d pending cells, want the 5 not run", len(pending))
	}
	var ce *config.InputError
	if err := Run(context.Background(), sw, out, Options{Cells: []int{6}, Runner: f.run}); !errors.As(err, &ce) {
		t.Errorf("index 6 of 6: want a *config.InputError, got %v", err)
	}
	other := *sw
	other.Grid = []Axis{{"optim.lr", []string{"1"}}}
	if err := Run(context.Background(), &other, out, Options{Runner: f.run}); !errors.As(err, &ce) {
		t.Errorf("a different sweep in the same out: want a *config.InputError, got %v", err)
	}
}

func TestRunCancelled(t *testing.T) {
	sw, out := loadTestSweep(t)
	ctx, cancel := context.WithCancel(context.Background())
	f := &fakeTrainer{fail: func(Job) bool { cancel(); return true }}
	err := Run(ctx, sw, out, Options{Workers: 1, Runner: f.run})
	if err == nil || !strings.Contains(err.Error(), "interrupted") {
		t.Errorf("want an interrupted error, got %v", err)
	}
	if len(f.calls) != 1 {
		t.Errorf("%d cells started after cancellation, want 1", len(f.calls))
	}
}
