package runio

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func write(t *testing.T, path, s string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestReadMetrics(t *testing.T) {
	p := filepath.Join(t.TempDir(), MetricsFile)
	write(t, p, "{\"step\":1,\"test_err\":0.5,\"jac_norm\":null}\n\n{\"step\":2,\"train_ce\":\"NaN\",\"x\":\"-Inf\"}\n{\"step\":3,\"te")
	pts, err := ReadMetrics(p)
	if err != nil {
		t.Fatal(err)
	}
	if len(pts) != 2 {
		t.Fatalf("got %d points, want 2 (torn last line ignored)", len(pts))
	}
	if pts[0]["test_err"] != 0.5 || pts[1]["step"] != 2 {
		t.Errorf("values: %v", pts)
	}
	if _, ok := pts[0]["jac_norm"]; ok {
		t.Error("null must be dropped")
	}
	if !math.IsNaN(pts[1]["train_ce"]) || !math.IsInf(pts[1]["x"], -1) {
		t.Errorf("non-finite spellings: %v", pts[1])
	}

	write(t, p, "{\"step\":1}\n{\"step\":true}\n{\"step\":3}\n")
	if _, err := ReadMetrics(p); err == nil || !strings.Contains(err.Error(), MetricsFile+":2:") {
		t.Errorf("want an error at line 2, got %v", err)
	}
	write(t, p, "{\"step\":1}\nnot json\n")
	if _, err := ReadMetrics(p); err == nil || !strings.Contains(err.Error(), ":2:") {
		t.Errorf("a complete malformed line is an error, got %v", err)
	}
}

func TestReadSummary(t *testing.T) {
	p := filepath.Join(t.TempDir(), SummaryFile)
	write(t, p, `{"status":"completed","name":"r1","wall_s":12.5,"final":{"test_err":0.1,"ema_test_err":null},"best":{"test_err":0.09},"extra":1}`)
	s, err := ReadSummary(p)
	if err != nil {
		t.Fatal(err)
	}
	if s.Status != "completed" || s.Name != "r1" || s.WallS != 12.5 || s.Final["test_err"] != 0.1 || s.Best["test_err"] != 0.09 {
		t.Errorf("got %+v", s)
	}
	if _, ok := s.Final["ema_test_err"]; ok {
		t.Error("null final value must be dropped")
	}
	write(t, p, `{"status":"done"}`)
	if _, err := ReadSummary(p); err == nil || !strings.Contains(err.Error(), `"done"`) {
		t.Errorf("want an unknown-status error, got %v", err)
	}
	write(t, p, `{"status":"failed","final":{"a":"x"}}`)
	if _, err := ReadSummary(p); err == nil || !strings.Contains(err.Error(), "final") {
		t.Errorf("want a final-value error, got %v", err)
	}
}

func TestReadConfigFlattens(t *testing.T) {
	p := filepath.Join(t.TempDir(), ConfigFile)
	write(t, p, "seed: 3\noptim:\n  lr: 0.1\n  wd: \"5e-4\"\n  groups: [a, b]\nmodel:\n  name: resnet\n")
	cfg, err := ReadConfig(p)
	if err != nil {
		t.Fatal(err)
	}
	if cfg["model.name"] != "resnet" {
		t.Errorf("model.name = %v", cfg["model.name"])
	}
	if lr, ok := ConfigNumber(cfg, LRKeys...); !ok || lr != 0.1 {
		t.Errorf("lr = %v %v", lr, ok)
	}
	if wd, ok := ConfigNumber(cfg, WDKeys...); !ok || wd != 5e-4 {
		t.Errorf("wd = %v %v", wd, ok)
	}
	if s, ok := ConfigNumber(cfg, SeedKeys...); !ok || s != 3 {
		t.Errorf("seed = %v %v", s, ok)
	}
	if _, ok := ConfigNumber(cfg, "model.name"); ok {
		t.Error("a non-numeric string is not a number")
	}
	write(t, p, "a: [1\n")
	if _, err := ReadConfig(p); err == nil || !strings.Contains(err.Error(), p) {
		t.Errorf("want a parse error naming the file, got %v", err)
	}
}

func TestFindRunDirs(t *testing.T) {
	root := t.TempDir()
	write(t, filepath.Join(root, "b", SummaryFile), "{}")
	write(t, filepath.Join(root, "a", "x", SummaryFile), "{}")
	write(t, filepath.Join(root, "a", CheckpointDir, SummaryFile), "{}")
	write(t, filepath.Join(root, ".hidden", SummaryFile), "{}")
	write(t, filepath.Join(root, "c", "metrics.jsonl"), "")
	dirs, err := FindRunDirs(root)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{filepath.Join(root, "a", "x"), filepath.Join(root, "b")}
	if strings.Join(dirs, "|") != strings.Join(want, "|") {
		t.Errorf("got %v, want %v", dirs, want)
	}
	if _, err := FindRunDirs(filepath.Join(root, "missing")); err == nil {
		t.Error("want an error for a missing root")
	}
}

func TestTerminal(t *testing.T) {
	for s, want := range map[string]bool{"completed": true, "diverged": true, "failed": false, "running": false, "pending": false} {
		if Terminal(s) != want {
			t.Errorf("Terminal(%q) = %v", s, !want)
		}
	}
}
