package report

import (
	"image/color"
	"math"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
)

// runColor returns the colour of the i-th run: gonum's soft palette, then
// evenly spaced hues once it runs out.
func runColor(i, n int) color.Color {
	if n <= len(plotutil.DefaultColors) {
		return plotutil.Color(i)
	}
	return hue(float64(i) / float64(n))
}

// hue returns a saturated colour of hue h in [0, 1).
func hue(h float64) color.Color {
	r := 0.5 + 0.5*math.Cos(2*math.Pi*(h))
	g := 0.5 + 0.5*math.Cos(2*math.Pi*(h-1.0/3))
	b := 0.5 + 0.5*math.Cos(2*math.Pi*(h-2.0/3))
	return color.RGBA{uint8(40 + 175*r), uint8(40 + 175*g), uint8(40 + 175*b), 255}
}

// emaDashes is the dash pattern of EMA (and validation) curves.
var emaDashes = []vg.Length{vg.Points(5), vg.Points(3)}

// num formats a number compactly for labels and tables.
func num(v float64) string {
	if math.IsNaN(v) {
		return "NaN"
	}
	return strconv.FormatFloat(v, 'g', 4, 64)
}

// logTicks labels a log axis at powers of ten, also at 2 and 5 times them
// when the axis spans less than two decades, and at every minor tick when it
// spans less than one.
type logTicks struct{}

// Ticks implements plot.Ticker.
func (logTicks) Ticks(min, max float64) []plot.Tick {
	if min <= 0 || max <= 0 || min > max {
		return nil
	}
	span := math.Log10(max / min)
	var ticks []plot.Tick
	for e := math.Floor(math.Log10(min)); e <= math.Ceil(math.Log10(max)); e++ {
		base := math.Pow(10, e)
		for m := 1; m <= 9; m++ {
			v := float64(m) * base
			if v < min*(1-1e-9) || v > max*(1+1e-9) {
				continue
			}
			t := plot.Tick{Value: v}
			if m == 1 || span < 1 || (span < 2 && (m == 2 || m == 5)) {
				t.Label = strconv.FormatFloat(v, 'g', 3, 64)
			}
			ticks = append(ticks, t)
		}
	}
	return ticks
}

// padLog widens [min, max] on a log axis by 10% of its log span, at least a
// factor 1.3 on each side, so that markers do not sit on the frame.
func padLog(min, max float64) (float64, float64) {
	f := math.Max(math.Pow(max/min, 0.1), 1.3)
	return min / f, max * f
}

// padLinear widens the range of the values by 8% on each side.
func padLinear(vals []float64) (float64, float64) {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, v := range vals {
		lo, hi = math.Min(lo, v), math.Max(hi, v)
	}
	d := 0.08 * (hi - lo)
	if d == 0 {
		d = 0.08*math.Abs(hi) + 1e-12
	}
	return lo - d, hi + d
}
