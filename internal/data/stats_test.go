package data

import (
	"math"
	"testing"
)

// statsDataset: two 1x2 images with two channels. Channel 0 holds 1, 3, 5, 7
// (mean 4, population variance 5); channel 1 holds 0, 0, 4, 4 (mean 2, std 2).
func statsDataset() *Dataset {
	return &Dataset{N: 2, H: 1, W: 2, C: 2, Classes: 1,
		X: []float32{1, 0, 3, 0, 5, 4, 7, 4}, Y: []int32{0, 0}}
}

func near(a, b float32) bool { return math.Abs(float64(a-b)) < 1e-6 }

func TestChannelStatsKnownAnswer(t *testing.T) {
	mean, std := ChannelStats(statsDataset())
	if !near(mean[0], 4) || !near(mean[1], 2) || !near(std[0], float32(math.Sqrt(5))) || !near(std[1], 2) {
		t.Fatalf("mean %v std %v, want [4 2] [%v 2]", mean, std, math.Sqrt(5))
	}
}

func TestNormalize(t *testing.T) {
	d := statsDataset()
	d.Normalize([]float32{4, 2}, []float32{2, 4})
	want := []float32{-1.5, -0.5, -0.5, -0.5, 0.5, 0.5, 1.5, 0.5}
	for i := range want {
		if !near(d.X[i], want[i]) {
			t.Fatalf("X = %v, want %v", d.X, want)
		}
	}
	// Standardising with its own stats gives mean 0 and std 1.
	d = statsDataset()
	d.Normalize(ChannelStats(d))
	mean, std := ChannelStats(d)
	for k := range 2 {
		if !near(mean[k], 0) || !near(std[k], 1) {
			t.Fatalf("after Normalize: mean %v std %v", mean, std)
		}
	}
}

func TestNormalizeZeroStdOnlyCentres(t *testing.T) {
	d := &Dataset{N: 2, H: 1, W: 1, C: 1, X: []float32{3, 3}}
	d.Normalize([]float32{3}, []float32{0})
	if d.X[0] != 0 || d.X[1] != 0 {
		t.Fatalf("X = %v, want [0 0]", d.X)
	}
}

func TestNormalizeChannelMismatchPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("no panic for 3 means on a 2-channel dataset")
		}
	}()
	statsDataset().Normalize(CIFARMean[:], CIFARStd[:])
}
