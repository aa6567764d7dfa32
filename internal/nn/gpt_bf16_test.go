package nn

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

func lmIsBF16(v float32) bool { return math.Float32bits(v)&0xFFFF == 0 }

func TestGPTBF16Emulation(t *testing.T) {
	cfg := GPTConfig{Vocab: 50, Ctx: 16, Layers: 2, Heads: 2, Dim: 32}
	g := lmTinyGPT(t, cfg, 8)
	rng := rand.New(rand.NewPCG(8, 8))
	for _, p := range g.Params() {
		if p.Decay {
			lmFill(rng, p.W, 0.1)
		}
	}
	const b, tt = 2, 16
	ids, targets := lmIDs(rng, b*tt, 50), lmIDs(rng, b*tt, 50)
	run := func() ([]float32, [][]float32) {
		g.ZeroGrad()
		logits := g.Forward(ids, b, tt, Train)
		out := slices.Clone(logits.Data)
		_, _, dl := LMCrossEntropy(logits, targets)
		g.Backward(dl)
		var grads [][]float32
		for _, p := range g.Params() {
			grads = append(grads, slices.Clone(p.G))
		}
		return out, grads
	}
	w0 := slices.Clone(g.Blocks[0].Attn.attn.W.W)
	ref, refG := run()
	g.BF16 = true
	got, gotG := run()
	if !slices.Equal(w0, g.Blocks[0].Attn.attn.W.W) {
		t.Fatal("bf16 forward changed the fp32 master weights")
	}
	var diff, norm float64
	for i, v := range got {
		if !lmIsBF16(v) {
			t.Fatalf("bf16 logit %d = %v is not a bf16 value", i, v)
		}
		diff += math.Abs(float64(v - ref[i]))
		norm += math.Abs(float64(ref[i]))
	}
	if diff == 0 || diff > 0.03*norm {
		t.Fatalf("bf16 logits differ from fp32 by %.3g of their L1 norm, want (0, 3%%]", diff/norm)
	}
	for k, p := range g.Params() {
		if p.Name == "transformer.h.1.mlp.c_fc.weight" {
			for _, v := range gotG[k] {
				if !lmIsBF16(v) {
					t.Fatalf("%s gradient %v is not a bf16 value", p.Name, v)
				}
			}
		}
		var dot, na, nb float64
		for i, v := range gotG[k] {
			dot += float64(v) * float64(refG[k][i])
			na += float64(v) * float64(v)
			nb += float64(refG[k][i]) * float64(refG[k][i])
		}
		if c := dot / math.Sqrt(na*nb); !(c > 0.99) {
			t.Errorf("%s: bf16 gradient has cosine %.4f with the fp32 one", p.Name, c)
		}
	}
}

// TestBF16RoundsMatmulOperands uses a = 1 + 2^-8, which rounds (ties to
// even) to 1 in bf16, while a*a = 1 + 2^-7 + 2^-16 rounds to 1 + 2^-7: the
// products come out 1 only if both operands were rounded before the matmul.
func TestBF16RoundsMatmulOperands(t *testing.T) {
	const a = float32(1 + 1.0/256)
	one := func(v float32) *Tensor { return &Tensor{Shape: []int{1, 1}, Data: []float32{v}} }
	l := newLMLinear("fc", 1, 1)
	l.bf16 = true
	l.W.W[0] = a
	h := NewLMHead(&Param{Name: "wte", Shape: []int{1, 1}, W: []float32{a}, G: []float32{0}})
	h.bf16 = true
	for name, layer := range map[string]Layer{"linear": l, "head": h} {
		y := layer.Forward(one(a), Train)
		dx := layer.Backward(one(a))
		g := layer.Params()[0].G[0]
		if y.Data[0] != 1 || dx.Data[0] != 1 || g != 1 {
			t.Errorf("%s: y, dx, dW = %v, %v, %v; want 1, 1, 1", name, y.Data[0], dx.Data[0], g)
		}
		if layer.Params()[0].W[0] != a {
			t.Errorf("%s: master weight was rounded", name)
		}
	}
}
