package nn

import (
	"math/rand/v2"
	"testing"
)

func TestEmbeddingKnownAnswerAndGradient(t *testing.T) {
	e := NewEmbedding("transformer.wte.weight", "transformer.wpe.weight", 5, 3, 2)
	for i := range e.Wte.W {
		e.Wte.W[i] = float32(10 * i)
	}
	for i := range e.Wpe.W {
		e.Wpe.W[i] = float32(i)
	}
	ids := []int32{4, 0, 4, 1, 1, 2} // b = 2, t = 3
	y := e.Forward(ids, 2, 3)
	want := []float32{80, 91, 2, 13, 84, 95, 20, 31, 22, 33, 44, 55}
	for i, w := range want {
		if y.Data[i] != w {
			t.Fatalf("out = %v, want %v", y.Data, want)
		}
	}
	rng := rand.New(rand.NewPCG(9, 9))
	r := lmRand(rng, 1, 2, 3, 2)
	e.Backward(r)
	gte, gpe := append([]float32(nil), e.Wte.G...), append([]float32(nil), e.Wpe.G...)
	f := func() float64 { return lmProbe(e.Forward(ids, 2, 3), r) }
	lmCheck(t, "wte", e.Wte.W, gte, lmAll(10), f)
	lmCheck(t, "wpe", e.Wpe.W, gpe, lmAll(6), f)
	if e.Wte.G[6] != 0 || e.Wte.G[7] != 0 {
		t.Fatal("unused token 3 got a gradient")
	}
	if e.Wte.Name != "transformer.wte.weight" || e.Wpe.Name != "transformer.wpe.weight" {
		t.Fatalf("names %s %s", e.Wte.Name, e.Wpe.Name)
	}
}
