package torchio

import (
	"slices"
	"testing"

	"wdlab/internal/ckpt"
)

func iota(n int) []float32 {
	v := make([]float32, n)
	for i := range v {
		v[i] = float32(i)
	}
	return v
}

// Every element of a conv weight lands where PyTorch indexes it:
// torch[o][i][h][w] = wdlab[h][w][i][o].
func TestConvLayout(t *testing.T) {
	kh, kw, ci, co := 2, 3, 4, 5
	w := ckpt.Tensor{Shape: []int{kh, kw, ci, co}, Data: iota(kh * kw * ci * co)}
	pt, err := ToTorch(w)
	must(t, err)
	if !slices.Equal(pt.Shape, []int{co, ci, kh, kw}) {
		t.Fatalf("shape %v", pt.Shape)
	}
	for o := 0; o < co; o++ {
		for i := 0; i < ci; i++ {
			for h := 0; h < kh; h++ {
				for x := 0; x < kw; x++ {
					got := pt.Data[((o*ci+i)*kh+h)*kw+x]
					want := w.Data[((h*kw+x)*ci+i)*co+o]
					if got != want {
						t.Fatalf("torch[%d][%d][%d][%d] = %v, want %v", o, i, h, x, got, want)
					}
				}
			}
		}
	}
	back, err := FromTorch(pt)
	must(t, err)
	if !slices.Equal(back.Shape, w.Shape) || !equalBits(back.Data, w.Data) {
		t.Fatalf("FromTorch(ToTorch(w)) != w")
	}
}

// A linear weight [in, out] becomes [out, in]: torch[o][i] = wdlab[i][o].
func TestLinearLayout(t *testing.T) {
	w := ckpt.Tensor{Shape: []int{2, 3}, Data: []float32{1, 2, 3, 4, 5, 6}}
	pt, err := ToTorch(w)
	must(t, err)
	if !slices.Equal(pt.Shape, []int{3, 2}) || !equalBits(pt.Data, []float32{1, 4, 2, 5, 3, 6}) {
		t.Fatalf("got %v %v", pt.Shape, pt.Data)
	}
	if _, err := ToTorch(ckpt.Tensor{Shape: []int{2, 2, 2}, Data: iota(8)}); err == nil {
		t.Error("want an error for a 3-D tensor")
	}
	if _, err := ToTorch(ckpt.Tensor{Shape: []int{2, 2}, Data: iota(3)}); err == nil {
		t.Error("want an error for a shape that does not hold the values")
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
