package nn

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestGELUKnownAnswer(t *testing.T) {
	var g GELU
	y := g.Forward(&Tensor{Shape: []int{4}, Data: []float32{0, 1, -1, 3}}, Train)
	// x Phi(x) with Phi from tables: Phi(1) = 0.8413447461, Phi(3) = 0.9986501020.
	want := []float64{0, 0.8413447461, -0.1586552539, 3 * 0.9986501020}
	for i, w := range want {
		if math.Abs(float64(y.Data[i])-w) > 1e-6 {
			t.Fatalf("GELU = %v, want %v", y.Data, want)
		}
	}
}

func TestGELUGradient(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	lmCheckLayer(t, "gelu", &GELU{}, lmRand(rng, 2, 5, 6))
}

func TestMLPGradient(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 5))
	m := NewMLP("mlp.c_fc.weight", "mlp.c_proj.weight", 4)
	for _, p := range m.Params() {
		lmFill(rng, p.W, 0.5)
	}
	if m.Params()[0].Name != "mlp.c_fc.weight" || m.Params()[1].Name != "mlp.c_proj.weight" {
		t.Fatalf("names %s, %s", m.Params()[0].Name, m.Params()[1].Name)
	}
	lmCheckLayer(t, "mlp", m, lmRand(rng, 1, 2, 3, 4))
}
