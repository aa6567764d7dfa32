package data

import (
	"slices"
	"testing"
)

func TestSyntheticDeterministicAndBalanced(t *testing.T) {
	a, b := Synthetic(103, 4, 4, 2, 10, 7), Synthetic(103, 4, 4, 2, 10, 7)
	if !slices.Equal(a.X, b.X) || !slices.Equal(a.Y, b.Y) {
		t.Fatal("same seed gave different datasets")
	}
	if c := Synthetic(103, 4, 4, 2, 10, 8); slices.Equal(a.X, c.X) {
		t.Fatal("seeds 7 and 8 gave the same images")
	}
	if a.N != 103 || a.Dim() != 32 || len(a.X) != 103*32 || a.Classes != 10 {
		t.Fatalf("got N=%d dim=%d len(X)=%d classes=%d", a.N, a.Dim(), len(a.X), a.Classes)
	}
	hist := make([]int, 10)
	for _, y := range a.Y {
		hist[y]++
	}
	for k, h := range hist {
		if h != 10 && h != 11 {
			t.Errorf("class %d has %d examples, want 10 or 11", k, h)
		}
	}
}

// A nearest-class-mean classifier fitted on the first half must classify
// the second half well: the labels are learnable from the images.
func TestSyntheticLearnable(t *testing.T) {
	const n, classes = 2000, 10
	d := Synthetic(n, 4, 4, 1, classes, 1)
	dim := d.Dim()
	mu := make([]float64, classes*dim)
	cnt := make([]float64, classes)
	for i := range n / 2 {
		k := int(d.Y[i])
		cnt[k]++
		for j := range dim {
			mu[k*dim+j] += float64(d.X[i*dim+j])
		}
	}
	for k := range classes {
		for j := range dim {
			mu[k*dim+j] /= cnt[k]
		}
	}
	correct := 0
	for i := n / 2; i < n; i++ {
		best, bestD := -1, 0.0
		for k := range classes {
			var dist float64
			for j := range dim {
				v := float64(d.X[i*dim+j]) - mu[k*dim+j]
				dist += v * v
			}
			if best < 0 || dist < bestD {
				best, bestD = k, dist
			}
		}
		if best == int(d.Y[i]) {
			correct++
		}
	}
	acc := float64(correct) / float64(n/2)
	if acc < 0.8 { // 0.903 measured; chance is 0.1
		t.Fatalf("nearest-mean accuracy %.3f, want >= 0.8", acc)
	}
}
