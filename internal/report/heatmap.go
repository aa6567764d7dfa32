package report

import (
	"fmt"
	"math"
	"sort"

	"gonum.org/v1/plot"
)

// heatmapKeys are the final metrics drawn over the (lr, wd) grid.
var heatmapKeys = []string{"ema_test_err", "ema_jac_norm"}

// distinct returns the sorted distinct values of xs.
func distinct(xs []float64) []float64 {
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	out := s[:0]
	for i, v := range s {
		if i == 0 || v != s[i-1] {
			out = append(out, v)
		}
	}
	return out
}

// gridTicks labels cell positions 0..n-1 with the values.
func gridTicks(vals []float64) plot.ConstantTicks {
	t := make(plot.ConstantTicks, len(vals))
	for i, v := range vals {
		t[i] = plot.Tick{Value: float64(i), Label: num(v)}
	}
	return t
}

// heatmapFigures draws, when the runs vary both lr and wd, the final
// ema_test_err and ema_jac_norm (each when recorded) over the log-spaced
// (lr, wd) grid: one cell per pair, the mean over runs (seeds) sharing it.
func heatmapFigures(runs []Run, outDir string) ([]Figure, error) {
	var lrs, wds []float64
	for _, r := range runs {
		if r.HasLRWD() {
			lrs, wds = append(lrs, r.LR), append(wds, r.WD)
		}
	}
	lrs, wds = distinct(lrs), distinct(wds)
	if len(lrs) < 2 || len(wds) < 2 {
		return nil, nil
	}
	var figs []Figure
	for _, key := range heatmapKeys {
		sum := make([][]float64, len(lrs))
		cnt := make([][]int, len(lrs))
		for i := range sum {
			sum[i], cnt[i] = make([]float64, len(wds)), make([]int, len(wds))
		}
		found := false
		for _, r := range runs {
			v, ok := r.Final(key)
			if !r.HasLRWD() || !ok || !finite(v) {
				continue
			}
			i, j := sort.SearchFloat64s(lrs, r.LR), sort.SearchFloat64s(wds, r.WD)
			sum[i][j] += v
			cnt[i][j]++
			found = true
		}
		if !found {
			continue
		}
		for i := range sum {
			for j := range sum[i] {
				if cnt[i][j] == 0 {
					sum[i][j] = math.NaN()
				} else {
					sum[i][j] /= float64(cnt[i][j])
				}
			}
		}
		p := plot.New()
		p.Title.Text = "final " + key + " over (lr, wd)"
		p.X.Label.Text, p.Y.Label.Text = "lr (log grid)", "wd (log grid)"
		p.X.Tick.Marker, p.Y.Tick.Marker = gridTicks(lrs), gridTicks(wds)
		cells := newCellPlot(sum)
		p.Add(cells)
		caption := fmt.Sprintf("Final %s per (lr, wd), mean over seeds; colour from %s (dark) to %s (bright); empty: no run.",
			key, num(cells.min), num(cells.max))
		f, err := save(p, outDir, "heatmap_"+key, caption)
		if err != nil {
			return nil, err
		}
		figs = append(figs, f)
	}
	return figs, nil
}
