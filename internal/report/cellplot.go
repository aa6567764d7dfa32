package report

import (
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// cellPlot draws a grid of coloured rectangles, cell (i, j) centred on
// (i, j) with its value printed inside; NaN cells (no run) stay empty.
type cellPlot struct {
	z        [][]float64 // z[i][j]: column i (x), row j (y)
	min, max float64     // the colour range
}

// newCellPlot builds a cellPlot and its colour range from the finite values.
func newCellPlot(z [][]float64) *cellPlot {
	c := &cellPlot{z: z, min: math.Inf(1), max: math.Inf(-1)}
	for _, col := range z {
		for _, v := range col {
			if finite(v) {
				c.min, c.max = math.Min(c.min, v), math.Max(c.max, v)
			}
		}
	}
	return c
}

// DataRange implements plot.DataRanger.
func (c *cellPlot) DataRange() (xmin, xmax, ymin, ymax float64) {
	return -0.5, float64(len(c.z)) - 0.5, -0.5, float64(len(c.z[0])) - 0.5
}

// Plot implements plot.Plotter.
func (c *cellPlot) Plot(cv draw.Canvas, plt *plot.Plot) {
	tx, ty := plt.Transforms(&cv)
	sty := plt.X.Tick.Label
	sty.XAlign, sty.YAlign = draw.XCenter, draw.YCenter
	for i, col := range c.z {
		for j, v := range col {
			if !finite(v) {
				continue
			}
			x0, x1 := tx(float64(i)-0.5), tx(float64(i)+0.5)
			y0, y1 := ty(float64(j)-0.5), ty(float64(j)+0.5)
			fill := viridis(c.norm(v))
			cv.FillPolygon(fill, []vg.Point{{X: x0, Y: y0}, {X: x1, Y: y0}, {X: x1, Y: y1}, {X: x0, Y: y1}})
			sty.Color = color.White
			if luminance(fill) > 0.5 {
				sty.Color = color.Black
			}
			cv.FillText(sty, vg.Point{X: (x0 + x1) / 2, Y: (y0 + y1) / 2}, num(v))
		}
	}
}

// norm maps v to [0, 1] over the colour range.
func (c *cellPlot) norm(v float64) float64 {
	if c.max <= c.min {
		return 0.5
	}
	return (v - c.min) / (c.max - c.min)
}

// viridisStops are five points of the viridis colour map.
var viridisStops = [5][3]float64{
	{68, 1, 84}, {59, 82, 139}, {33, 145, 140}, {94, 201, 98}, {253, 231, 37},
}

// viridis returns the colour at t in [0, 1] (dark purple to yellow) by
// linear interpolation between viridisStops.
func viridis(t float64) color.RGBA {
	t = math.Max(0, math.Min(1, t)) * float64(len(viridisStops)-1)
	k := math.Min(math.Floor(t), float64(len(viridisStops)-2))
	f, a, b := t-k, viridisStops[int(k)], viridisStops[int(k)+1]
	mix := func(c int) uint8 { return uint8(math.Round(a[c] + f*(b[c]-a[c]))) }
	return color.RGBA{mix(0), mix(1), mix(2), 255}
}

// luminance returns the relative brightness of c in [0, 1].
func luminance(c color.Color) float64 {
	r, g, b, _ := c.RGBA()
	return (0.299*float64(r) + 0.587*float64(g) + 0.114*float64(b)) / 0xffff
}
