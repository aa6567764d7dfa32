package tboard

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"time"

	"wdlab/internal/runio"
)

// TBDir is the folder of a run directory that ExportRun writes events to.
const TBDir = "tb"

// ExportRun converts runDir/metrics.jsonl into a fresh event file under
// runDir/tb/ and then removes the event files of earlier exports, so that
// exporting twice does not duplicate curves. Every key except step becomes
// a scalar tag; the step is the point's "step" (its index if absent) and
// the wall time is reconstructed from wall_s, anchored so that the last
// point carries the modification time of metrics.jsonl.
func ExportRun(runDir string) error {
	mpath := filepath.Join(runDir, runio.MetricsFile)
	pts, err := runio.ReadMetrics(mpath)
	if err != nil {
		return fmt.Errorf("tensorboard export: %w", err)
	}
	st, err := os.Stat(mpath)
	if err != nil {
		return fmt.Errorf("tensorboard export: %w", err)
	}
	start := st.ModTime()
	if n := len(pts); n > 0 {
		if ws, ok := pts[n-1]["wall_s"]; ok && !math.IsNaN(ws) && !math.IsInf(ws, 0) {
			start = start.Add(-time.Duration(ws * float64(time.Second)))
		}
	}
	dir := filepath.Join(runDir, TBDir)
	old, _ := filepath.Glob(filepath.Join(dir, "events.out.tfevents.*"))
	w, err := NewWriter(dir)
	if err != nil {
		return err
	}
	for i, p := range pts {
		step := int64(i)
		if s, ok := p["step"]; ok {
			step = int64(s)
		}
		wall := start
		if ws, ok := p["wall_s"]; ok && !math.IsNaN(ws) && !math.IsInf(ws, 0) {
			wall = start.Add(time.Duration(ws * float64(time.Second)))
		}
		keys := make([]string, 0, len(p))
		for k := range p {
			if k != "step" {
				keys = append(keys, k)
			}
		}
		sort.Strings(keys)
		for _, k := range keys {
			if err := w.Scalar(k, step, p[k], wall); err != nil {
				w.Close()
				return err
			}
		}
	}
	if err := w.Close(); err != nil {
		return err
	}
	for _, o := range old {
		if o != w.Path() {
			if err := os.Remove(o); err != nil {
				return fmt.Errorf("tensorboard export: %w", err)
			}
		}
	}
	return nil
}
