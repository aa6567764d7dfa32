package report

import (
	"image/color"
	"strings"
	"testing"
)

func labels(min, max float64) string {
	var l []string
	for _, t := range (logTicks{}).Ticks(min, max) {
		if t.Label != "" {
			l = append(l, t.Label)
		}
	}
	return strings.Join(l, " ")
}

func TestLogTicks(t *testing.T) {
	for _, c := range []struct {
		min, max float64
		want     string
	}{
		{1e-4, 1e-2, "0.0001 0.001 0.01"},
		{2e-4, 8e-3, "0.0002 0.0005 0.001 0.002 0.005"},
		{0.55, 1.9, "0.6 0.7 0.8 0.9 1"},
	} {
		if got := labels(c.min, c.max); got != c.want {
			t.Errorf("ticks(%g, %g) labels %q, want %q", c.min, c.max, got, c.want)
		}
	}
	if n := len((logTicks{}).Ticks(1e-4, 1e-2)); n != 19 {
		t.Errorf("%d ticks over two decades, want 19 (9 per decade + 1)", n)
	}
	if ticks := (logTicks{}).Ticks(0, 1); ticks != nil {
		t.Errorf("a non-positive range has no log ticks: %v", ticks)
	}
}

func TestViridisAndPadding(t *testing.T) {
	if got := viridis(0); got != (color.RGBA{68, 1, 84, 255}) {
		t.Errorf("viridis(0) = %v", got)
	}
	if got := viridis(1); got != (color.RGBA{253, 231, 37, 255}) {
		t.Errorf("viridis(1) = %v", got)
	}
	// halfway between stops 1 and 2 (t = 0.375): the mean of the two colours.
	if got := viridis(0.375); got != (color.RGBA{46, 114, 140, 255}) {
		t.Errorf("viridis(0.375) = %v", got)
	}
	if lo, hi := padLinear([]float64{1, 2, 1.5}); lo != 0.92 || hi != 2.08 {
		t.Errorf("padLinear = %v, %v", lo, hi)
	}
	if lo, hi := padLog(1e-3, 1e-3); !(lo < 1e-3 && hi > 1e-3) {
		t.Errorf("padLog of one value = %v, %v", lo, hi)
	}
}
