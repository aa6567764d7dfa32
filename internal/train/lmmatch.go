package train

import (
	"fmt"
	"path/filepath"
	"sort"

	"wdlab/internal/runio"
)

// effLRCurve is a finished run's decayed_eff_lr over steps, linearly interpolated.
type effLRCurve struct {
	steps []float64
	vals  []float64
}

// loadEffLRCurve reads decayed_eff_lr from a run directory's metrics.jsonl.
func loadEffLRCurve(dir string) (*effLRCurve, error) {
	pts, err := runio.ReadMetrics(filepath.Join(dir, runio.MetricsFile))
	if err != nil {
		return nil, err
	}
	c := &effLRCurve{}
	for _, p := range pts {
		s, okS := p["step"]
		v, okV := p["decayed_eff_lr"]
		if okS && okV {
			c.steps = append(c.steps, s)
			c.vals = append(c.vals, v)
		}
	}
	if len(c.steps) == 0 {
		return nil, fmt.Errorf("%s has no decayed_eff_lr values", dir)
	}
	return c, nil
}

// at returns the interpolated decayed_eff_lr at step t (clamped at the ends).
func (c *effLRCurve) at(t int) float64 {
	x := float64(t)
	i := sort.SearchFloat64s(c.steps, x)
	switch {
	case i == 0:
		return c.vals[0]
	case i >= len(c.steps):
		return c.vals[len(c.vals)-1]
	}
	f := (x - c.steps[i-1]) / (c.steps[i] - c.steps[i-1])
	return c.vals[i-1] + f*(c.vals[i]-c.vals[i-1])
}
