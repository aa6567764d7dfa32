package data

import (
	"slices"
	"testing"
)

// tinyDataset has 10 one-pixel, two-channel examples; example i holds
// (10*i, 10*i+1) and the labels below.
func tinyDataset() *Dataset {
	d := &Dataset{Name: "tiny", N: 10, H: 1, W: 1, C: 2, Classes: 3,
		Y: []int32{0, 1, 0, 2, 1, 0, 2, 2, 1, 0}}
	for i := range d.N {
		d.X = append(d.X, float32(10*i), float32(10*i+1))
	}
	return d
}

func TestSubset(t *testing.T) {
	s := tinyDataset().Subset([]int{7, 2, 7})
	if s.N != 3 || s.Classes != 3 || s.C != 2 || s.Name != "tiny" {
		t.Fatalf("got %+v", *s)
	}
	if !slices.Equal(s.X, []float32{70, 71, 20, 21, 70, 71}) || !slices.Equal(s.Y, []int32{2, 0, 2}) {
		t.Fatalf("X=%v Y=%v", s.X, s.Y)
	}
}

func TestBalancedSubset(t *testing.T) {
	d := tinyDataset()
	s, err := d.BalancedSubset(2)
	if err != nil {
		t.Fatal(err)
	}
	// First two of each class in dataset order: examples 0,1,2,3,4,6.
	if !slices.Equal(s.Y, []int32{0, 1, 0, 2, 1, 2}) || s.N != 6 {
		t.Fatalf("Y=%v N=%d", s.Y, s.N)
	}
	if !slices.Equal(s.X, []float32{0, 1, 10, 11, 20, 21, 30, 31, 40, 41, 60, 61}) {
		t.Fatalf("X=%v", s.X)
	}
	if _, err := d.BalancedSubset(4); err == nil {
		t.Fatal("want error: classes 1 and 2 have 3 examples")
	} else {
		wantErr(t, err, "class 1 has 3 examples, want 4")
	}
	_, err = d.BalancedSubset(0)
	wantErr(t, err, "perClass must be >= 1")
	d.Y[5] = 3
	_, err = d.BalancedSubset(3)
	wantErr(t, err, "label 3 of example 5")
}

func TestGather(t *testing.T) {
	x := make([]float32, 4)
	y := make([]int32, 2)
	tinyDataset().Gather([]int{9, 0}, x, y)
	if !slices.Equal(x, []float32{90, 91, 0, 1}) || !slices.Equal(y, []int32{0, 0}) {
		t.Fatalf("x=%v y=%v", x, y)
	}
	defer func() {
		if recover() == nil {
			t.Fatal("Gather into a short buffer did not panic")
		}
	}()
	tinyDataset().Gather([]int{1, 2, 3}, x, y)
}

func TestKeepPerClass(t *testing.T) {
	d := &Dataset{Name: "toy", N: 4, H: 1, W: 1, C: 1, Classes: 2, X: []float32{0, 1, 2, 3}, Y: []int32{1, 0, 0, 1}}
	if s, err := d.KeepPerClass(2); err != nil || s != d {
		t.Fatalf("balanced already: %v, same=%v", err, s == d)
	}
	s, err := d.KeepPerClass(1)
	if err != nil || s == d || s.N != 2 || s.X[0] != 0 || s.X[1] != 1 {
		t.Fatalf("perClass 1: %v %+v", err, s)
	}
	_, err = d.KeepPerClass(3)
	wantErr(t, err, "class 0 has 2 examples, want 3")
	d.Y[0] = 5
	_, err = d.KeepPerClass(2)
	wantErr(t, err, "label 5 of example 0")
}
