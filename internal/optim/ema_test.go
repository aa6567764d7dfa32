package optim

import (
	"math"
	"strings"
	"testing"
)

func TestEMAClosedForm(t *testing.T) {
	a, b, _, buf, all := fixture()
	w0a, w0b := []float64{2, -4}, 1.0
	e := NewEMA(all, 0.9)
	steps := [][3]float32{{1, 2, 3}, {-1, 0.5, 2}, {4, -3, 0.25}} // (a0, a1, b) per update
	for _, s := range steps {
		a.W[0], a.W[1], b.W[0] = s[0], s[1], s[2]
		buf.W[0] = 99 // buffers are never averaged
		e.Update(all)
	}
	// ema_3 = 0.9^3 w0 + 0.1 (0.9^2 w1 + 0.9 w2 + w3).
	cf := func(w0 float64, k int) float64 {
		return 0.729*w0 + 0.1*(0.81*float64(steps[0][k])+0.9*float64(steps[1][k])+float64(steps[2][k]))
	}
	ws := e.Weights()
	near(t, "ema a", ws[0], []float64{cf(w0a[0], 0), cf(w0a[1], 1)}, 1e-6)
	near(t, "ema b", ws[1], []float64{cf(w0b, 2)}, 1e-6)
	near(t, "ema frozen", ws[2], []float64{3}, 1e-6) // constant weights stay put
	if ws[3] != nil {
		t.Errorf("buffer has EMA weights %v", ws[3])
	}
	if e.Updates() != 3 {
		t.Errorf("Updates = %d, want 3", e.Updates())
	}
}

func TestEMASwapAndCopy(t *testing.T) {
	a, _, _, buf, all := fixture()
	e := NewEMA(all, 0.5)
	a.W[0], a.W[1] = 4, 8
	e.Update(all) // ema a = [3, 2]
	e.Swap(all)
	near(t, "swapped in", a.W, []float64{3, 2}, 0)
	near(t, "swapped out", e.Weights()[0], []float64{4, 8}, 0)
	if buf.W[0] != 5 {
		t.Errorf("swap touched the buffer: %v", buf.W)
	}
	e.Swap(all)
	near(t, "restored", a.W, []float64{4, 8}, 0)
	near(t, "restored ema", e.Weights()[0], []float64{3, 2}, 0)
	_, _, _, _, other := fixture()
	e.CopyInto(other)
	near(t, "copied", other[0].W, []float64{3, 2}, 0)
}

func TestEMAState(t *testing.T) {
	a, _, _, _, all := fixture()
	e := NewEMA(all, 0.9)
	a.W[0] = 7
	e.Update(all)
	s := e.State()
	if _, ok := s["ema/buf"]; ok {
		t.Error("state holds the buffer")
	}
	_, _, _, _, fresh := fixture()
	f := NewEMA(fresh, 0.9)
	if err := f.LoadState(s); err != nil {
		t.Fatal(err)
	}
	a.W[1] = -1
	e.Update(all)
	f.Update(all)
	for i := range all {
		for j := range e.Weights()[i] {
			if math.Float32bits(e.Weights()[i][j]) != math.Float32bits(f.Weights()[i][j]) {
				t.Fatalf("param %d value %d differs after round trip", i, j)
			}
		}
	}
	if f.Updates() != 2 {
		t.Errorf("Updates after reload = %d, want 2", f.Updates())
	}

	bad := map[string]func(map[string][]float32){
		"lacks":         func(s map[string][]float32) { delete(s, "ema/a") },
		"has 1 values":  func(s map[string][]float32) { s["ema/a"] = s["ema/a"][:1] },
		"names no":      func(s map[string][]float32) { s["ema/zzz"] = []float32{1} },
		"no \"step\"":   func(s map[string][]float32) { delete(s, StepKey) },
		"not an intege": func(s map[string][]float32) { s[StepKey] = []float32{0.5, 0} },
	}
	for want, spoil := range bad {
		s := e.State()
		spoil(s)
		if err := f.LoadState(s); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: got error %v", want, err)
		}
	}
}
