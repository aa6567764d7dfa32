// Package report draws the paper's figures from wdlab's own runs and
// writes a static HTML report: training curves (iterate solid, EMA
// dashed), (lr, wd) heatmaps, scatters against lr*wd on a log axis, LM
// loss curves, a table of the runs and a list of claims checked against
// the measurements. Figures are PNG and SVG files drawn with gonum/plot;
// the HTML loads no external resource and needs no JavaScript.
package report
