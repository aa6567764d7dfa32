package bench

import (
	"math/rand/v2"

	"wdlab/internal/nn"
	"wdlab/internal/optim"
)

// GPTOptions are the peer's gpt shapes.
type GPTOptions struct {
	Layers, Dim, Heads, Ctx, Vocab, Batch int
	Warmup, Iters                         int
	BF16                                  bool // bf16 matmuls, fp32 master weights
}

func (o GPTOptions) config() nn.GPTConfig {
	return nn.GPTConfig{Vocab: o.Vocab, Ctx: o.Ctx, Layers: o.Layers, Heads: o.Heads, Dim: o.Dim}
}

func (o GPTOptions) precision() string {
	if o.BF16 {
		return "bf16"
	}
	return "fp32"
}

// GPT times GPT training steps (AdamW with decoupled WD 0.1 on matrices and
// embeddings, grad-norm clipping at 1, fp32 or emulated bf16) like torch_bench.py gpt. FLOPs
// per token are nanoGPT's estimate 6N + 12*layers*dim*ctx, with N the
// parameter count without position embeddings.
func GPT(o GPTOptions) (Result, error) {
	cfg := o.config()
	m, err := nn.NewGPT(cfg)
	if err != nil {
		return Result{}, err
	}
	m.Init(0)
	m.BF16 = o.BF16
	rng := rand.New(rand.NewPCG(0, 0))
	n := o.Batch * o.Ctx
	ids, tgt := make([]int32, n), make([]int32, n)
	for i := range ids {
		ids[i], tgt[i] = int32(rng.IntN(o.Vocab)), int32(rng.IntN(o.Vocab))
	}
	opt := optim.NewAdamW()
	step := func() {
		m.ZeroGrad()
		_, _, g := nn.LMCrossEntropy(m.Forward(ids, o.Batch, o.Ctx, nn.Train), tgt)
		m.Backward(g)
		optim.ClipGradNorm(m.Params(), 1)
		opt.Step(m.Params(), 6e-4, 0.1)
	}
	r := Result{Bench: "gpt", Executor: "native", Batch: o.Batch, Params: cfg.NumParams(), Precision: o.precision(), Kernels: nativeKernels()}
	r.finish(timeSteps(step, o.Warmup, o.Iters), gptFLOPsPerToken(cfg)*float64(n), n)
	r.SetPeak(HostCPUPeak())
	return r, nil
}
