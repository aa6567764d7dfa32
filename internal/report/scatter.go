package report

import (
	"fmt"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"wdlab/internal/runio"
)

// scatterKeys are the final metrics plotted against lr*wd.
var scatterKeys = []string{"ema_test_err", "ema_jac_norm", "jac_norm", "train_ce"}

// scatterFigures draws, for each of scatterKeys recorded by at least two
// runs, its final value against lr*wd on a log x axis (runs with
// lr*wd > 0; one point per run), when there are at least two distinct
// lr*wd values.
func scatterFigures(runs []Run, outDir string) ([]Figure, error) {
	var figs []Figure
	for _, key := range scatterKeys {
		var pts plotter.XYs
		for _, r := range runs {
			v, ok := r.Final(key)
			if eta := r.LR * r.WD; r.HasLRWD() && eta > 0 && ok && finite(v) {
				pts = append(pts, plotter.XY{X: eta, Y: v})
			}
		}
		xs, ys := make([]float64, len(pts)), make([]float64, len(pts))
		for i, p := range pts {
			xs[i], ys[i] = p.X, p.Y
		}
		if len(distinct(xs)) < 2 {
			continue
		}
		s, err := plotter.NewScatter(pts)
		if err != nil {
			return nil, fmt.Errorf("figure %s vs lr*wd: %w", key, err)
		}
		s.GlyphStyle.Shape = draw.CircleGlyph{}
		s.GlyphStyle.Radius = vg.Points(3.5)
		s.GlyphStyle.Color = runColor(0, 1)
		p := plot.New()
		p.Title.Text = "final " + key + " vs lr*wd"
		p.X.Label.Text, p.Y.Label.Text = "lr * wd", runio.Label(key)
		p.X.Scale, p.X.Tick.Marker = plot.LogScale{}, logTicks{}
		p.Add(plotter.NewGrid(), s)
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, x := range xs {
			lo, hi = math.Min(lo, x), math.Max(hi, x)
		}
		p.X.Min, p.X.Max = padLog(lo, hi)
		p.Y.Min, p.Y.Max = padLinear(ys)
		f, err := save(p, outDir, "scatter_"+key, fmt.Sprintf("Final %s of each run against lr*wd (log axis), %d runs.", key, len(pts)))
		if err != nil {
			return nil, err
		}
		figs = append(figs, f)
	}
	return figs, nil
}
