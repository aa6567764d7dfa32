package train

import (
	"bytes"
	"os"
	"path/filepath"
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
