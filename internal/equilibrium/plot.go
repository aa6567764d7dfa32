package equilibrium

import (
	"fmt"
	"math"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
)

// plotAngles draws the measured RMS angular update of every cell against
// sqrt(2 lr wd) on log-log axes with the line y = x, one colour per
// product lr*wd, and saves base+".png" and base+".svg".
func plotAngles(s *Summary, base string) error {
	p := plot.New()
	p.Title.Text = fmt.Sprintf("Angular update at equilibrium (%s, %s)", s.Model, s.Scale)
	p.X.Label.Text = "predicted sqrt(2 lr wd) [rad/step]"
	p.Y.Label.Text = "measured RMS angular update [rad/step]"
	p.X.Scale, p.Y.Scale = plot.LogScale{}, plot.LogScale{}
	p.X.Tick.Marker, p.Y.Tick.Marker = ticks125{}, ticks125{}
	p.Legend.Top, p.Legend.Left = true, true
	lo, hi := math.Inf(1), math.Inf(-1)
	for gi, g := range s.Groups {
		var pts plotter.XYs
		for _, c := range s.Cells {
			if c.Diverged || c.AngleRMS <= 0 || math.Abs(c.Product/g.Product-1) > 1e-9 {
				continue
			}
			x := sqrt2(c.Product)
			pts = append(pts, plotter.XY{X: x, Y: c.AngleRMS})
			lo, hi = min(lo, x, c.AngleRMS), max(hi, x, c.AngleRMS)
		}
		if len(pts) == 0 {
			continue
		}
		sc, err := plotter.NewScatter(pts)
		if err != nil {
			return fmt.Errorf("equilibrium plot: %w", err)
		}
		sc.GlyphStyle.Color = plotutil.Color(gi)
		sc.GlyphStyle.Shape = plotutil.Shape(gi)
		sc.GlyphStyle.Radius = vg.Points(3)
		p.Add(sc)
		p.Legend.Add(fmt.Sprintf("lr*wd = %g", g.Product), sc)
	}
	if lo < hi {
		lo, hi = lo/1.5, hi*1.5
		line, err := plotter.NewLine(plotter.XYs{{X: lo, Y: lo}, {X: hi, Y: hi}})
		if err != nil {
			return fmt.Errorf("equilibrium plot: %w", err)
		}
		line.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
		p.Add(line)
		p.Legend.Add("y = x", line)
		p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = lo, hi, lo, hi
	}
	for _, ext := range []string{".png", ".svg"} {
		if err := p.Save(6*vg.Inch, 5*vg.Inch, base+ext); err != nil {
			return fmt.Errorf("equilibrium plot: %w", err)
		}
	}
	return nil
}

// ticks125 labels a log axis at 1, 2 and 5 times the powers of ten.
type ticks125 struct{}

// Ticks returns the labelled ticks within [lo, hi].
func (ticks125) Ticks(lo, hi float64) []plot.Tick {
	var out []plot.Tick
	for e := math.Floor(math.Log10(lo)); e <= math.Ceil(math.Log10(hi)); e++ {
		for _, m := range []float64{1, 2, 5} {
			v := m * math.Pow(10, e)
			if v >= lo && v <= hi {
				out = append(out, plot.Tick{Value: v, Label: strconv.FormatFloat(v, 'g', 3, 64)})
			}
		}
	}
	return out
}
