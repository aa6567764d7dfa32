package optim

import (
	"math"
	"testing"

	"wdlab/internal/nn"
)

func TestParamNorm(t *testing.T) {
	a := param("a", true, []float32{3, 4}, nil)
	a.ScaleInv = true
	f := param("f", false, []float32{12}, nil)
	f.Frozen = true
	buf := &nn.Param{Name: "buf", W: []float32{100}, Buffer: true}
	all := []*nn.Param{a, f, buf}
	if got := ParamNorm(all, nil); got != 13 {
		t.Errorf("all: %v, want 13 (frozen included, buffer excluded)", got)
	}
	if got := ParamNorm(all, func(p *nn.Param) bool { return p.ScaleInv }); got != 5 {
		t.Errorf("scale-invariant: %v, want 5", got)
	}
	snap := SnapshotParams(all, nil)
	if len(snap) != 2 || snap[1][0] != 12 {
		t.Fatalf("snapshot = %v", snap)
	}
	a.W[0] = 9
	if snap[0][0] != 3 {
		t.Error("snapshot aliases the weights")
	}
}

func TestAngularUpdate(t *testing.T) {
	cases := []struct {
		name      string
		prev, cur [][]float32
		want      float64
	}{
		{"orthogonal", [][]float32{{1, 0}, {0}}, [][]float32{{0, 0}, {2}}, math.Pi / 2},
		{"sixty degrees", [][]float32{{1}, {0}}, [][]float32{{1}, {float32(math.Sqrt(3))}}, math.Pi / 3},
		{"opposite", [][]float32{{1, 2}}, [][]float32{{-2, -4}}, math.Pi},
	}
	for _, c := range cases {
		if got := AngularUpdate(c.prev, c.cur); math.Abs(got-c.want) > 1e-6 {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
	// Scaled copies: the rounded cosine can exceed 1; the clamp must give 0, not NaN.
	v := make([]float32, 1000)
	w := make([]float32, 1000)
	for i := range v {
		v[i] = float32(math.Sin(float64(i)*0.7)) * 0.1
		w[i] = 3 * v[i]
	}
	if got := AngularUpdate([][]float32{v}, [][]float32{w}); got != 0 && !(got < 1e-7) {
		t.Errorf("scaled copy: %v, want 0", got)
	}
	if got := AngularUpdate([][]float32{{0}}, [][]float32{{1}}); !math.IsNaN(got) {
		t.Errorf("zero vector: %v, want NaN", got)
	}
}

func TestMatchLR(t *testing.T) {
	// AdamW run with lr 6e-4 at norm 120 has effective LR 5e-6; a run at norm
	// 300 needs lr 1.5e-3 for the same effective LR.
	if got := MatchLR(6e-4/120, 300); math.Abs(got-1.5e-3) > 1e-15 {
		t.Errorf("MatchLR = %v, want 1.5e-3", got)
	}
}
