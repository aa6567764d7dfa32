package nn

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestLMCrossEntropyKnownAnswer(t *testing.T) {
	// Row 0: logits (0, 0, ln 2) -> p = (1/4, 1/4, 1/2), target 2: loss ln 2, correct.
	// Row 1: logits (1, 1, 1), target 0: loss ln 3; argmax is 0 (first max): correct.
	// Row 2: logits (3, 0, 0), target 1: wrong.
	ln2 := float32(math.Ln2)
	logits := &Tensor{Shape: []int{3, 3}, Data: []float32{0, 0, ln2, 1, 1, 1, 3, 0, 0}}
	loss, nErr, g := LMCrossEntropy(logits, []int32{2, 0, 1})
	z := math.Exp(3) + 2
	want := (math.Ln2 + math.Log(3) + math.Log(z)) / 3
	if math.Abs(loss-want) > 1e-6 || nErr != 1 {
		t.Fatalf("loss, nErr = %v, %d; want %v, 1", loss, nErr, want)
	}
	wantG := []float64{0.25 / 3, 0.25 / 3, -0.5 / 3, -2.0 / 9, 1.0 / 9, 1.0 / 9,
		math.Exp(3) / z / 3, (1/z - 1) / 3, 1 / z / 3}
	for i, w := range wantG {
		if math.Abs(float64(g.Data[i])-w) > 1e-6 {
			t.Fatalf("dlogits = %v, want %v", g.Data, wantG)
		}
	}
}

func TestLMHeadAndLossGradient(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 4))
	wte := newParam("transformer.wte.weight", 7, 5)
	lmFill(rng, wte.W, 0.7)
	h := NewLMHead(wte)
	x := lmRand(rng, 1, 2, 3, 5)
	targets := []int32{0, 6, 3, 3, 1, 2}
	f := func() float64 {
		l, _, _ := LMCrossEntropy(h.Forward(x, Train), targets)
		return l
	}
	logits := h.Forward(x, Train)
	if logits.Shape[0] != 2 || logits.Shape[1] != 3 || logits.Shape[2] != 7 {
		t.Fatalf("logits shape %v", logits.Shape)
	}
	_, _, dl := LMCrossEntropy(logits, targets)
	dx := append([]float32(nil), h.Backward(dl).Data...)
	lmCheck(t, "head dx", x.Data, dx, lmAll(len(x.Data)), f)
	lmCheck(t, "head dWte", wte.W, append([]float32(nil), wte.G...), lmAll(len(wte.W)), f)
}
