package nn

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestLayerNormKnownAnswer(t *testing.T) {
	l := NewLayerNorm("ln.weight", 4)
	l.G.W[3] = 2
	y := l.Forward(&Tensor{Shape: []int{1, 4}, Data: []float32{1, 2, 3, 4}}, Train)
	s := 1 / math.Sqrt(1.25+1e-5)
	want := []float64{-1.5 * s, -0.5 * s, 0.5 * s, 2 * 1.5 * s}
	for i, w := range want {
		if math.Abs(float64(y.Data[i])-w) > 1e-6 {
			t.Fatalf("y = %v, want %v", y.Data, want)
		}
	}
	if l.G.Name != "ln.weight" {
		t.Fatalf("gain name %q", l.G.Name)
	}
}

func TestLayerNormGradient(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	l := NewLayerNorm("ln.weight", 7)
	lmFill(rng, l.G.W, 1)
	lmCheckLayer(t, "layernorm", l, lmRand(rng, 2, 2, 3, 7))
}
