package nn

import (
	"math"
	"math/rand/v2"
	"testing"
)

// Recalibrate mode makes the running statistics the exact sample-weighted
// average of per-batch means and unbiased variances.
func TestBNRecalibrationIsExactAverage(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	bn := NewBatchNorm("bn", 2, true)
	batches := []*Tensor{randTensor(rng, 3, 2, 2, 2), randTensor(rng, 5, 2, 2, 2), randTensor(rng, 3, 2, 2, 2)}
	for _, b := range batches {
		for i := range b.Data {
			b.Data[i] = b.Data[i]*2 + float32(len(b.Data)%3)
		}
	}
	bn.Forward(batches[0], Train) // disturb the running stats first
	bn.ResetStats()
	var wantMean, wantVar [2]float64
	total := 0
	for _, b := range batches {
		bn.Forward(b, Recalibrate)
		rows := len(b.Data) / 2
		for c := 0; c < 2; c++ {
			var s, ss float64
			for r := 0; r < rows; r++ {
				s += float64(b.Data[r*2+c])
			}
			mu := s / float64(rows)
			for r := 0; r < rows; r++ {
				d := float64(b.Data[r*2+c]) - mu
				ss += d * d
			}
			wantMean[c] += mu * float64(b.Shape[0])
			wantVar[c] += ss / float64(rows-1) * float64(b.Shape[0])
		}
		total += b.Shape[0]
	}
	for c := 0; c < 2; c++ {
		m, v := wantMean[c]/float64(total), wantVar[c]/float64(total)
		if math.Abs(float64(bn.RunMean.W[c])-m) > 1e-5 || math.Abs(float64(bn.RunVar.W[c])-v) > 1e-4 {
			t.Fatalf("channel %d: running (%v, %v), want (%v, %v)", c, bn.RunMean.W[c], bn.RunVar.W[c], m, v)
		}
	}
}

// Train mode updates running statistics with PyTorch's momentum 0.1.
func TestBNMomentum(t *testing.T) {
	bn := NewBatchNorm("bn", 1, false)
	x := &Tensor{Shape: []int{4, 1}, Data: []float32{1, 2, 3, 6}}
	bn.Forward(x, Train)
	// mean 3, unbiased var (4+1+0+9)/3 = 14/3.
	if math.Abs(float64(bn.RunMean.W[0])-0.3) > 1e-6 || math.Abs(float64(bn.RunVar.W[0])-(0.9+0.1*14.0/3)) > 1e-6 {
		t.Fatalf("running stats %v %v", bn.RunMean.W[0], bn.RunVar.W[0])
	}
	// Output uses the biased variance 3.5 and eps 1e-5.
	want := (1 - 3) / math.Sqrt(3.5+1e-5)
	if math.Abs(float64(bn.out.Data[0])-want) > 1e-5 {
		t.Fatalf("y0 = %v, want %v", bn.out.Data[0], want)
	}
}
