package nn

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"testing"
)

func lmTinyGPT(t *testing.T, cfg GPTConfig, seed uint64) *GPT {
	t.Helper()
	g, err := NewGPT(cfg)
	if err != nil {
		t.Fatal(err)
	}
	g.Init(seed)
	return g
}

func lmIDs(rng *rand.Rand, n, vocab int) []int32 {
	ids := make([]int32, n)
	for i := range ids {
		ids[i] = int32(rng.IntN(vocab))
	}
	return ids
}

func TestGPTParamsNamesAndCounts(t *testing.T) {
	cfg := GPTConfig{Vocab: 11, Ctx: 6, Layers: 2, Heads: 2, Dim: 8}
	g := lmTinyGPT(t, cfg, 1)
	want := []string{"transformer.wte.weight", "transformer.wpe.weight"}
	for i := range 2 {
		for _, s := range []string{"ln_1.weight", "attn.c_attn.weight", "attn.c_proj.weight", "ln_2.weight", "mlp.c_fc.weight", "mlp.c_proj.weight"} {
			want = append(want, fmt.Sprintf("transformer.h.%d.%s", i, s))
		}
	}
	want = append(want, "transformer.ln_f.weight")
	ps := g.Params()
	if len(ps) != len(want) {
		t.Fatalf("%d params, want %d", len(ps), len(want))
	}
	n := 0
	for i, p := range ps {
		if p.Name != want[i] {
			t.Fatalf("param %d = %s, want %s", i, p.Name, want[i])
		}
		isLN := len(p.Shape) == 1
		if p.Decay == isLN || p.ScaleInv != p.Decay {
			t.Fatalf("%s: Decay %v ScaleInv %v", p.Name, p.Decay, p.ScaleInv)
		}
		n += p.Size()
	}
	if n != cfg.NumParams() {
		t.Fatalf("params hold %d scalars, NumParams says %d", n, cfg.NumParams())
	}
	if g.Head.Wte != g.Emb.Wte {
		t.Fatal("LM head is not tied to wte")
	}
}

func TestGPTPresets(t *testing.T) {
	// nanoGPT prints 123.59M for GPT-2 Small at ctx 1024, which excludes wpe (786432).
	want := map[string]int{"gpt2-124m-ctx1024": 123_587_328 + 786_432, "gpt2-124m": 123_587_328 + 196_608}
	for name, n := range want {
		c, err := GPTPreset(name)
		if err != nil {
			t.Fatal(err)
		}
		if c.NumParams() != n {
			t.Errorf("%s: %d params, want %d", name, c.NumParams(), n)
		}
	}
	tiny, _ := GPTPreset("tiny")
	if n := tiny.NumParams(); n < 800_000 || n > 1_200_000 {
		t.Errorf("tiny has %d params, want about 1M", n)
	}
	large, _ := GPTPreset("gpt2-774m")
	if n := large.NumParams(); n < 770_000_000 || n > 780_000_000 {
		t.Errorf("gpt2-774m has %d params", n)
	}
	if _, err := GPTPreset("gpt3"); err == nil {
		t.Error("unknown preset accepted")
	}
	if _, err := NewGPT(GPTConfig{Vocab: 10, Ctx: 4, Layers: 1, Heads: 3, Dim: 8}); err == nil {
		t.Error("dim not divisible by heads accepted")
	}
}

func TestGPTInit(t *testing.T) {
	cfg := GPTConfig{Vocab: 64, Ctx: 16, Layers: 3, Heads: 2, Dim: 32}
	g := lmTinyGPT(t, cfg, 5)
	std := func(w []float32) float64 {
		var s float64
		for _, v := range w {
			s += float64(v) * float64(v)
		}
		return math.Sqrt(s / float64(len(w)))
	}
	if s := std(g.Emb.Wte.W); math.Abs(s-0.02) > 0.002 {
		t.Errorf("wte std %v, want 0.02", s)
	}
	if s, w := std(g.Blocks[0].MLP.proj.W.W), 0.02/math.Sqrt(6); math.Abs(s-w) > 0.1*w {
		t.Errorf("mlp.c_proj std %v, want %v", s, w)
	}
	if g.LNF.G.W[0] != 1 || g.Blocks[2].LN2.G.W[31] != 1 {
		t.Error("LayerNorm gains are not 1")
	}
	g2 := lmTinyGPT(t, cfg, 5)
	if g2.Blocks[1].Attn.attn.W.W[17] != g.Blocks[1].Attn.attn.W.W[17] {
		t.Error("Init is not deterministic")
	}
	// Small logits at init: the loss is close to ln(vocab).
	rng := rand.New(rand.NewPCG(1, 1))
	ids, targets := lmIDs(rng, 2*16, 64), lmIDs(rng, 2*16, 64)
	loss, _, _ := LMCrossEntropy(g.Forward(ids, 2, 16, Train), targets)
	if math.Abs(loss-math.Log(64)) > 0.05 {
		t.Errorf("initial loss %v, want about ln 64 = %v", loss, math.Log(64))
	}
}

func TestGPTGradient(t *testing.T) {
	cfg := GPTConfig{Vocab: 11, Ctx: 6, Layers: 2, Heads: 2, Dim: 8}
	g := lmTinyGPT(t, cfg, 2)
	rng := rand.New(rand.NewPCG(2, 3))
	// Larger weights than the 0.02 init so every path carries signal.
	for _, p := range g.Params() {
		if p.Decay {
			lmFill(rng, p.W, 0.3)
		} else {
			for i := range p.W {
				p.W[i] = 1 + float32(0.2*rng.NormFloat64())
			}
		}
	}
	const b, tt = 2, 5
	ids, targets := lmIDs(rng, b*tt, 11), lmIDs(rng, b*tt, 11)
	f := func() float64 {
		l, _, _ := LMCrossEntropy(g.Forward(ids, b, tt, Train), targets)
		return l
	}
	g.ZeroGrad()
	_, _, dl := LMCrossEntropy(g.Forward(ids, b, tt, Train), targets)
	g.Backward(dl)
	for _, p := range g.Params() {
		lmCheck(t, p.Name, p.W, append([]float32(nil), p.G...), lmSome(rng, len(p.W), 6), f)
	}
}

func TestGPTLearnsARepeatingSequence(t *testing.T) {
	cfg := GPTConfig{Vocab: 8, Ctx: 8, Layers: 1, Heads: 2, Dim: 16}
	g := lmTinyGPT(t, cfg, 3)
	const b, tt = 4, 8
	ids, targets := make([]int32, b*tt), make([]int32, b*tt)
	for i := range ids {
		ids[i] = int32((i%tt + i/tt) % 8)
		targets[i] = (ids[i] + 1) % 8
	}
	var first, last float64
	for step := range 60 {
		g.ZeroGrad()
		loss, _, dl := LMCrossEntropy(g.Forward(ids, b, tt, Train), targets)
		g.Backward(dl)
		for _, p := range g.Params() {
			for i := range p.W {
				p.W[i] -= 0.5 * p.G[i]
			}
		}
		if step == 0 {
			first = loss
		}
		last = loss
	}
	if last > 0.5*first {
		t.Fatalf("loss went from %v to %v in 60 SGD steps; want at least halved", first, last)
	}
}

// BenchmarkGPTStep times forward + loss + backward of the tiny preset at
// batch 16 (the shapes of `wdlab bench gpt`).
func BenchmarkGPTStep(b *testing.B) {
	cfg, _ := GPTPreset("tiny")
	g, _ := NewGPT(cfg)
	g.Init(1)
	rng := rand.New(rand.NewPCG(1, 2))
	const batch = 16
	ids, targets := lmIDs(rng, batch*cfg.Ctx, cfg.Vocab), lmIDs(rng, batch*cfg.Ctx, cfg.Vocab)
	for b.Loop() {
		g.ZeroGrad()
		_, _, dl := LMCrossEntropy(g.Forward(ids, batch, cfg.Ctx, Train), targets)
		g.Backward(dl)
	}
	b.ReportMetric(float64(b.N*batch*cfg.Ctx)/b.Elapsed().Seconds(), "tokens/s")
}

func TestGPTForwardRejectsBadIDs(t *testing.T) {
	g := lmTinyGPT(t, GPTConfig{Vocab: 5, Ctx: 4, Layers: 1, Heads: 1, Dim: 4}, 1)
	for name, f := range map[string]func(){
		"id >= vocab": func() { g.Forward([]int32{0, 5}, 1, 2, Eval) },
		"t > ctx":     func() { g.Forward(make([]int32, 5), 1, 5, Eval) },
		"len != b*t":  func() { g.Forward(make([]int32, 3), 1, 2, Eval) },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", name)
				}
			}()
			f()
		}()
	}
}

// TestGPTSameResultOnAnyCoreCount checks that gradients do not depend on GOMAXPROCS.
func TestGPTSameResultOnAnyCoreCount(t *testing.T) {
	cfg := GPTConfig{Vocab: 40, Ctx: 32, Layers: 2, Heads: 4, Dim: 32}
	g := lmTinyGPT(t, cfg, 4)
	rng := rand.New(rand.NewPCG(4, 4))
	const b, tt = 8, 32
	ids, targets := lmIDs(rng, b*tt, 40), lmIDs(rng, b*tt, 40)
	grads := func(procs int) []float32 {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
		g.ZeroGrad()
		_, _, dl := LMCrossEntropy(g.Forward(ids, b, tt, Train), targets)
		g.Backward(dl)
		var all []float32
		for _, p := range g.Params() {
			all = append(all, p.G...)
		}
		return all
	}
	one, four := grads(1), grads(4)
	for i := range one {
		if one[i] != four[i] {
			t.Fatalf("gradient %d: %v with 1 core, %v with 4", i, one[i], four[i])
		}
	}
}
