package serve

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"testing"
)

// writeRun writes a run directory: config.yaml with lr, wd, seed and
// epochs, one metrics line per epoch in [1, n] (test_err falling as
// 1/(1+epoch*lr*wd*1e3), its EMA 10% lower) and summary.json with status.
func writeRun(t *testing.T, dir string, lr, wd float64, seed, n, epochs int, status string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	cfg := fmt.Sprintf("name: %s\nseed: %d\noptim:\n  lr: %g\n  wd: %g\ntrain:\n  epochs: %d\n", filepath.Base(dir), seed, lr, wd, epochs)
	must(t, os.WriteFile(filepath.Join(dir, "config.yaml"), []byte(cfg), 0o644))
	var lines []byte
	final := map[string]float64{}
	for e := 1; e <= n; e++ {
		m := metricLine(e, lr, wd)
		b, _ := json.Marshal(m)
		lines = append(append(lines, b...), '\n')
		final = m
	}
	must(t, os.WriteFile(filepath.Join(dir, "metrics.jsonl"), lines, 0o644))
	sum := map[string]any{"name": filepath.Base(dir), "status": status, "final": final, "best": final}
	b, _ := json.Marshal(sum)
	must(t, os.WriteFile(filepath.Join(dir, "summary.json"), b, 0o644))
}

// metricLine is the fixture's metrics line at epoch e.
func metricLine(e int, lr, wd float64) map[string]float64 {
	te := 1 / (1 + float64(e)*lr*wd*1e3)
	return map[string]float64{"epoch": float64(e), "test_err": te, "ema_test_err": 0.9 * te, "param_norm": 10 * math.Exp(-float64(e)*wd)}
}

// writeSweep writes a finished 2x2 (lr, wd) sweep of 3-epoch runs, two
// seeds each, under root/sweep and returns the ids in sorted order.
func writeSweep(t *testing.T, root string) []string {
	t.Helper()
	var ids []string
	for _, lr := range []float64{0.1, 0.4} {
		for _, wd := range []float64{1e-4, 5e-4} {
			for seed := 0; seed < 2; seed++ {
				id := fmt.Sprintf("sweep/lr%g-wd%g-s%d", lr, wd, seed)
				writeRun(t, filepath.Join(root, id), lr, wd, seed, 3, 3, "completed")
				ids = append(ids, id)
			}
		}
	}
	return ids
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
