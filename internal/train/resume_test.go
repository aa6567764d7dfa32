package train

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"wdlab/internal/runio"
)

// A resume refuses a metrics.jsonl that lost lines the checkpoint had
// already seen (reliability finding F4), and removes the temp files of
// checkpoint writes a kill left behind (finding F6).
func TestResumeChecksLinesAndRemovesStaleTemps(t *testing.T) {
	cfg := visionCfg(t)
	dir := t.TempDir()
	if _, err := Run(cfg, dir, Options{}); err != nil {
		t.Fatal(err)
	}
	stale := filepath.Join(dir, runio.CheckpointDir, ".last.safetensors.tmp4242")
	if err := os.WriteFile(stale, []byte("half a checkpoint"), 0o644); err != nil {
		t.Fatal(err)
	}
	var log bytes.Buffer
	if _, err := Run(cfg, dir, Options{Resume: true, Log: &log}); err != nil {
		t.Fatalf("resume of a complete run: %v", err)
	}
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Errorf("stale temp file still there (%v)", err)
	}
	if !strings.Contains(log.String(), "removed 1 temp file") {
		t.Errorf("log %q does not report the removal", log.String())
	}
	// Cut the last (checkpointed) line: the resume must fail, not drop it.
	path := filepath.Join(dir, runio.MetricsFile)
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := bytes.SplitAfter(raw, []byte("\n"))
	cut := bytes.Join(lines[:len(lines)-2], nil) // the last element is empty
	if err := os.WriteFile(path, cut, 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = Run(cfg, dir, Options{Resume: true})
	if err == nil || !strings.Contains(err.Error(), "3 readable lines") || !strings.Contains(err.Error(), "after 4") {
		t.Fatalf("resume with a lost line: err %v, want a lost-lines error", err)
	}
	if got, _ := os.ReadFile(path); !bytes.Equal(got, cut) {
		t.Error("the failed resume changed metrics.jsonl")
	}
}

// A run stopped on request after every single step (Options.Stop closed),
// then resumed, ends with the uninterrupted run's metrics: mid-epoch and
// epoch-end stops for a vision run, the same for a vision run with a step
// budget of 1.5 epochs (whose evaluation points and LR drop fall inside
// epochs), mid-window and evaluation-point stops for an LM run.
func TestStopAfterEveryStepThenResumeIsExact(t *testing.T) {
	stop := make(chan struct{})
	close(stop)
	vision, steps, lm := visionCfg(t), stepBudgetCfg(t), lmCfg(t)
	cases := []struct {
		name string
		run  func(dir string, o Options) (*Summary, error)
	}{
		{"vision", func(dir string, o Options) (*Summary, error) { return Run(vision, dir, o) }},
		{"vision-steps", func(dir string, o Options) (*Summary, error) { return Run(steps, dir, o) }},
		{"lm", func(dir string, o Options) (*Summary, error) { return RunLM(lm, dir, o) }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ref := t.TempDir()
			if s, err := c.run(ref, Options{}); err != nil || s.Status != runio.StatusCompleted {
				t.Fatalf("reference run: %v %+v", err, s)
			}
			dir := t.TempDir()
			stops := 0
			for o := (Options{Stop: stop}); ; o.Resume = true {
				s, err := c.run(dir, o)
				if err != nil {
					t.Fatal(err)
				}
				if s.Status == runio.StatusCompleted {
					break
				}
				if s.Status != runio.StatusInterrupted {
					t.Fatalf("status %s after %d stops", s.Status, stops)
				}
				if stops++; stops > 500 {
					t.Fatal("no progress")
				}
			}
			if want := metricLines(t, ref); !reflect.DeepEqual(metricLines(t, dir), want) {
				t.Fatalf("after %d stops the metrics differ from the uninterrupted run", stops)
			}
			if stops < 10 {
				t.Errorf("only %d stops", stops)
			}
		})
	}
}

// An LM run that died after its step-0 evaluation but before its first
// checkpoint resumes from scratch without a second step-0 line.
func TestLMResumeWithoutCheckpointWritesStepZeroOnce(t *testing.T) {
	cfg := lmCfg(t)
	ref, dir := t.TempDir(), t.TempDir()
	if _, err := RunLM(cfg, ref, Options{}); err != nil {
		t.Fatal(err)
	}
	stop := make(chan struct{})
	close(stop)
	if s, err := RunLM(cfg, dir, Options{Stop: stop}); err != nil || s.Status != runio.StatusInterrupted {
		t.Fatalf("stopped run: %v %+v", err, s)
	}
	if err := os.RemoveAll(filepath.Join(dir, runio.CheckpointDir)); err != nil { // as if it died before checkpointing
		t.Fatal(err)
	}
	if _, err := RunLM(cfg, dir, Options{Resume: true}); err != nil {
		t.Fatal(err)
	}
	if got, want := metricLines(t, dir), metricLines(t, ref); !reflect.DeepEqual(got, want) {
		t.Fatalf("resumed without a checkpoint: %d lines, want %d (first steps %v, %v)", len(got), len(want), got[0]["step"], got[1]["step"])
	}
}
