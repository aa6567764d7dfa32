package runio

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite docs/metrics.md from the metrics table")

// docs/metrics.md is the table rendered; -update rewrites it.
func TestMetricsDoc(t *testing.T) {
	path := filepath.Join("..", "..", "docs", "metrics.md")
	want := metricsMarkdown()
	if *update {
		if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Errorf("%s differs from the metrics table; run go test ./internal/runio -run TestMetricsDoc -update", path)
	}
}

// Each key has at most one row per regime, every row says what it is, and
// the rows of a key agree on lower-is-better (summary.json's best has no
// regime).
func TestMetricTableIsConsistent(t *testing.T) {
	seen := map[[2]string]bool{}
	lower := map[string]bool{}
	for _, m := range Metrics {
		k := [2]string{m.Key, m.Regime}
		if seen[k] {
			t.Errorf("%s: two rows for regime %s", m.Key, m.Regime)
		}
		seen[k] = true
		if m.Regime != Vision && m.Regime != LM || m.Formula == "" {
			t.Errorf("%s: regime %q, formula %q", m.Key, m.Regime, m.Formula)
		}
		if l, ok := lower[m.Key]; ok && l != m.Lower {
			t.Errorf("%s: rows disagree on lower-is-better", m.Key)
		}
		lower[m.Key] = m.Lower
	}
	for key, want := range map[string]bool{"test_err": true, "val_loss": true, "tokens": false, "grad_norm": false, "clip_frac": false, "eff_lr": false, "nosuch": false} {
		if LowerIsBetter(key) != want {
			t.Errorf("LowerIsBetter(%s) = %v, want %v", key, !want, want)
		}
	}
	if got := Label("test_err"); got != "test_err (fraction)" {
		t.Errorf("Label(test_err) = %q", got)
	}
}

// An LM run written before the decayed group had its own keys reads with the
// current keys; vision points keep si_param_norm and eff_lr.
func TestReadMetricsRenamesLegacyLMKeys(t *testing.T) {
	path := filepath.Join(t.TempDir(), MetricsFile)
	lines := `{"step":10,"tokens":640,"si_param_norm":3.5,"eff_lr":0.002,"val_loss":4}
{"step":20,"tokens":1280,"decayed_norm":3.6,"decayed_eff_lr":0.001}
{"epoch":1,"si_param_norm":2,"eff_lr":0.1}
`
	if err := os.WriteFile(path, []byte(lines), 0o644); err != nil {
		t.Fatal(err)
	}
	pts, err := ReadMetrics(path)
	if err != nil {
		t.Fatal(err)
	}
	want := []Point{
		{"step": 10, "tokens": 640, "decayed_norm": 3.5, "decayed_eff_lr": 0.002, "val_loss": 4},
		{"step": 20, "tokens": 1280, "decayed_norm": 3.6, "decayed_eff_lr": 0.001},
		{"epoch": 1, "si_param_norm": 2, "eff_lr": 0.1},
	}
	for i := range want {
		if len(pts[i]) != len(want[i]) {
			t.Fatalf("point %d: %v, want %v", i, pts[i], want[i])
		}
		for k, v := range want[i] {
			if pts[i][k] != v {
				t.Errorf("point %d: %s = %v, want %v", i, k, pts[i][k], v)
			}
		}
	}
}

// metricsMarkdown renders the table as docs/metrics.md.
func metricsMarkdown() string {
	var b strings.Builder
	b.WriteString("# Metrics\n\n")
	b.WriteString("Every key of `metrics.jsonl` (one JSON object per evaluation point), per regime.\n")
	b.WriteString("Generated from `runio.Metrics` (`internal/runio/metric_table.go`) by\n")
	b.WriteString("`go test ./internal/runio -run TestMetricsDoc -update`; a test keeps the two equal.\n")
	b.WriteString("`summary.json` holds the last value of every key (`final`) and the minimum of the\n")
	b.WriteString("keys where lower is better (`best`).\n")
	for _, regime := range []string{Vision, LM} {
		title := map[string]string{Vision: "Vision runs, their probes and the equilibrium cells", LM: "Language-model runs"}[regime]
		fmt.Fprintf(&b, "\n## %s\n\n| key | what | unit | lower is better |\n|---|---|---|---|\n", title)
		for _, m := range Metrics {
			if m.Regime != regime {
				continue
			}
			lower := ""
			if m.Lower {
				lower = "yes"
			}
			fmt.Fprintf(&b, "| `%s` | %s | %s | %s |\n", m.Key, strings.ReplaceAll(m.Formula, "|", "\\|"), m.Unit, lower)
		}
	}
	b.WriteString("\nRun directories written before `decayed_norm` and `decayed_eff_lr` existed call them\n")
	b.WriteString("`si_param_norm` and `eff_lr` in LM runs; `runio.ReadMetrics` renames them.\n")
	return b.String()
}
