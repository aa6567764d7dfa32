package nn

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// GPT is a GPT-2 style language model as configured in the paper
// (Section 3, GPT-2 Small): token + position embeddings, pre-LN blocks, a final gain-only
// LayerNorm and an LM head tied to the token embedding. Parameter names
// follow nanoGPT (NewGPTNames); matrices are
// stored [in, out] (the transpose of PyTorch's Linear.weight).
type GPT struct {
	Config GPTConfig
	// BF16 emulates bf16 autocast: every matmul operand and the matmul,
	// attention and GELU outputs (forward and backward) are rounded to bf16;
	// LayerNorm, softmax, the loss, the residual stream, accumulation and
	// the master weights stay fp32 (paper, Fig. 8).
	BF16   bool
	Emb    *Embedding
	Blocks []*GPTBlock
	LNF    *LayerNorm
	Head   *LMHead
	params []*Param
}

// NewGPT allocates a GPT; call Init before training.
func NewGPT(cfg GPTConfig) (*GPT, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	names := NewGPTNames(cfg.Layers)
	g := &GPT{Config: cfg, Emb: NewEmbedding(names.Wte, names.Wpe, cfg.Vocab, cfg.Ctx, cfg.Dim)}
	g.Head = NewLMHead(g.Emb.Wte)
	g.params = g.Emb.Params()
	for _, n := range names.Blocks {
		b := NewGPTBlock(n, cfg.Dim, cfg.Heads)
		g.Blocks = append(g.Blocks, b)
		g.params = append(g.params, b.Params()...)
	}
	g.LNF = NewLayerNorm(names.LNF, cfg.Dim)
	g.params = append(g.params, g.LNF.Params()...)
	for _, p := range g.params {
		p.Decay = len(p.Shape) == 2
		p.ScaleInv = p.Decay
	}
	return g, nil
}

// Init draws the weights from a PCG stream seeded with seed, in parameter
// order: N(0, 0.02^2) for embeddings and matrices, N(0, (0.02/sqrt(2
// Layers))^2) for the residual projections (attn.c_proj, mlp.c_proj), and
// LayerNorm gains 1.
func (g *GPT) Init(seed uint64) {
	rng := rand.New(rand.NewPCG(seed, 0x77646c6162))
	projStd := 0.02 / math.Sqrt(2*float64(g.Config.Layers))
	normal := func(p *Param, std float64) {
		for i := range p.W {
			p.W[i] = float32(rng.NormFloat64() * std)
		}
	}
	normal(g.Emb.Wte, 0.02)
	normal(g.Emb.Wpe, 0.02)
	for _, b := range g.Blocks {
		b.LN1.resetGain()
		normal(b.Attn.attn.W, 0.02)
		normal(b.Attn.proj.W, projStd)
		b.LN2.resetGain()
		normal(b.MLP.fc.W, 0.02)
		normal(b.MLP.proj.W, projStd)
	}
	g.LNF.resetGain()
}

// Params returns every parameter once, in nanoGPT's order (the tied LM head
// is Wte).
func (g *GPT) Params() []*Param { return g.params }

// ZeroGrad clears every gradient.
func (g *GPT) ZeroGrad() {
	for _, p := range g.params {
		clear(p.G)
	}
}

// Forward returns the logits [b, t, Vocab] for token ids (b x t row-major).
// The mode does not matter (no dropout). Callers validate their data: ids
// outside [0, Vocab), t > Ctx or len(ids) != b*t are programming errors
// and panic with a message saying which.
func (g *GPT) Forward(ids []int32, b, t int, mode Mode) *Tensor {
	if t < 1 || t > g.Config.Ctx || len(ids) != b*t {
		panic(fmt.Sprintf("nn: GPT.Forward got %d ids for %d x %d tokens with context %d", len(ids), b, t, g.Config.Ctx))
	}
	for i, id := range ids {
		if id < 0 || int(id) >= g.Config.Vocab {
			panic(fmt.Sprintf("nn: GPT.Forward token %d at position %d is outside the vocabulary [0, %d)", id, i, g.Config.Vocab))
		}
	}
	for _, blk := range g.Blocks {
		blk.setBF16(g.BF16)
	}
	g.Head.bf16 = g.BF16
	x := g.Emb.Forward(ids, b, t)
	for _, blk := range g.Blocks {
		x = blk.Forward(x, mode)
	}
	return g.Head.Forward(g.LNF.Forward(x, mode), mode)
}

// Backward back-propagates dL/dlogits from the last Forward, accumulating
// into every Param.G.
func (g *GPT) Backward(dlogits *Tensor) {
	dx := g.LNF.Backward(g.Head.Backward(dlogits))
	for i := len(g.Blocks) - 1; i >= 0; i-- {
		dx = g.Blocks[i].Backward(dx)
	}
	g.Emb.Backward(dx)
}
