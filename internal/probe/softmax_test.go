package probe

import (
	"math"
	"testing"
)

func TestTVD(t *testing.T) {
	p := Probs{N: 2, K: 3, P: []float64{0.2, 0.3, 0.5, 1, 0, 0}}
	if got := MeanTVD(p, p); got != 0 {
		t.Errorf("TVD of identical distributions = %v, want 0", got)
	}
	a := Probs{N: 2, K: 3, P: []float64{1, 0, 0, 0, 1, 0}}
	b := Probs{N: 2, K: 3, P: []float64{0, 1, 0, 0, 0, 1}}
	if got := MeanTVD(a, b); got != 1 {
		t.Errorf("TVD of disjoint one-hots = %v, want 1", got)
	}
	// Row 1: 1/2 (0.5 + 0.5) = 0.5; row 2: 0 -> mean 0.25.
	c := Probs{N: 2, K: 3, P: []float64{0.5, 0.5, 0, 0, 1, 0}}
	if got := MeanTVD(a, c); math.Abs(got-0.25) > 1e-15 {
		t.Errorf("TVD = %v, want 0.25", got)
	}
}

// The ensemble of two members averages them; its error and CE follow.
func TestAverageErrorCE(t *testing.T) {
	a := Probs{N: 2, K: 2, P: []float64{0.9, 0.1, 0.6, 0.4}}
	b := Probs{N: 2, K: 2, P: []float64{0.3, 0.7, 0.0, 1.0}}
	e := Average([]Probs{a, b})
	want := []float64{0.6, 0.4, 0.3, 0.7}
	for i, v := range want {
		if math.Abs(e.P[i]-v) > 1e-15 {
			t.Fatalf("average = %v, want %v", e.P, want)
		}
	}
	labels := []int32{1, 1}
	if got := e.ErrorRate(labels); got != 0.5 {
		t.Errorf("error = %v, want 0.5", got)
	}
	if got, w := e.CE(labels), -(math.Log(0.4)+math.Log(0.7))/2; math.Abs(got-w) > 1e-12 {
		t.Errorf("CE = %v, want %v", got, w)
	}
}

// Softmax of a model matches softmaxRow of its logits and sums to one.
func TestSoftmaxRowsSumToOne(t *testing.T) {
	m := linearSoftmax(t, 3, 4)
	ds := vectors(5, 3, 4, 1)
	p := Softmax(m, ds, 2)
	if p.N != 5 || p.K != 4 {
		t.Fatalf("shape %dx%d", p.N, p.K)
	}
	for i := range p.N {
		var s float64
		for _, v := range p.P[i*4 : (i+1)*4] {
			s += v
		}
		if math.Abs(s-1) > 1e-12 {
			t.Errorf("row %d sums to %v", i, s)
		}
	}
}
