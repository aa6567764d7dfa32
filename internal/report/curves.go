package report

import (
	"fmt"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"

	"wdlab/internal/runio"
)

// curveKeys are the metrics drawn over training, iterate and EMA.
var curveKeys = []string{"test_err", "train_ce", "param_norm"}

// xAxisKey returns "epoch" when every run that has points records it,
// else "step".
func xAxisKey(runs []Run) string {
	for _, r := range runs {
		if len(r.Points) > 0 && !r.Has("epoch") {
			return "step"
		}
	}
	return "epoch"
}

// curveFigures draws, for each of test_err, train_ce and param_norm that
// some run records, one figure over epochs: a colour per run, the iterate
// solid and its EMA (ema_ key) dashed. train_ce uses a log axis.
func curveFigures(runs []Run, outDir string) ([]Figure, error) {
	x := xAxisKey(runs)
	var figs []Figure
	for _, key := range curveKeys {
		p := plot.New()
		p.Title.Text = key + " over training"
		p.X.Label.Text, p.Y.Label.Text = x, runio.Label(key)
		p.Legend.Top = true
		positive, drawn := true, false
		for i, r := range runs {
			col := runColor(i, len(runs))
			named := false
			for _, k := range []string{key, "ema_" + key} {
				xs, ys := r.Series(x, k)
				if len(xs) == 0 {
					continue
				}
				l, err := plotter.NewLine(xyPairs(xs, ys))
				if err != nil {
					return nil, fmt.Errorf("figure %s: %w", key, err)
				}
				l.LineStyle.Color = col
				if k != key {
					l.LineStyle.Dashes = emaDashes
				}
				if !named {
					p.Legend.Add(r.Label, l)
					named = true
				}
				for _, y := range ys {
					positive = positive && y > 0
				}
				p.Add(l)
				drawn = true
			}
		}
		if !drawn {
			continue
		}
		if key == "train_ce" && positive {
			p.Y.Scale, p.Y.Tick.Marker = plot.LogScale{}, logTicks{}
		}
		f, err := save(p, outDir, "curve_"+key, fmt.Sprintf("%s per run over %s; solid: iterate, dashed: EMA (ema_%s).", key, x, key))
		if err != nil {
			return nil, err
		}
		figs = append(figs, f)
	}
	return figs, nil
}

// xyPairs zips two equally long slices into plotter.XYs.
func xyPairs(xs, ys []float64) plotter.XYs {
	pts := make(plotter.XYs, len(xs))
	for i := range xs {
		pts[i] = plotter.XY{X: xs[i], Y: ys[i]}
	}
	return pts
}
