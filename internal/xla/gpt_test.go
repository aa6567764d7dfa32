package xla

import (
	"math"
	"math/rand/v2"
	"testing"

	"wdlab/internal/nn"
	"wdlab/internal/optim"
)

// tinyGPTConfig is a 2-layer, 2-head GPT of width 8 over 11 tokens.
var tinyGPTConfig = nn.GPTConfig{Vocab: 11, Ctx: 8, Layers: 2, Heads: 2, Dim: 8}

// nativeGPT builds and initialises a tiny GPT; the gains are perturbed so
// that LayerNorm's gradient path is exercised away from 1.
func nativeGPT(t *testing.T, seed uint64) *nn.GPT {
	t.Helper()
	m, err := nn.NewGPT(tinyGPTConfig)
	if err != nil {
		t.Fatal(err)
	}
	m.Init(seed)
	rng := rand.New(rand.NewPCG(seed, 3))
	for _, p := range m.Params() {
		if len(p.Shape) == 1 {
			for i := range p.W {
				p.W[i] += float32(0.2 * rng.NormFloat64())
			}
		} else { // larger weights than GPT-2's 0.02 so every path matters
			for i := range p.W {
				p.W[i] *= 10
			}
		}
	}
	return m
}

// tokenBatch returns b x t random ids and targets.
func tokenBatch(b, t int, seed uint64) ([]int32, []int32) {
	rng := rand.New(rand.NewPCG(seed, 5))
	ids, tgt := make([]int32, b*t), make([]int32, b*t)
	for i := range ids {
		ids[i], tgt[i] = int32(rng.IntN(tinyGPTConfig.Vocab)), int32(rng.IntN(tinyGPTConfig.Vocab))
	}
	return ids, tgt
}

// nativeGPTLossGrads leaves the native gradients in the parameters.
func nativeGPTLossGrads(m *nn.GPT, ids, tgt []int32, b, t int) (float64, int) {
	m.ZeroGrad()
	loss, wrong, g := nn.LMCrossEntropy(m.Forward(ids, b, t, nn.Train), tgt)
	m.Backward(g)
	return loss, wrong
}

func newGPTExec(t *testing.T, ps []*nn.Param, o GPTOptions) *GPTExecutor {
	t.Helper()
	if o.Backend == "" {
		o.Backend = "go"
	}
	e, err := NewGPT(tinyGPTConfig, ps, o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(e.Close)
	return e
}

// The same GPT weights and tokens give the same loss and gradients on
// both executors (sequences shorter than the context included).
func TestGPTGradientsMatchNative(t *testing.T) {
	m := nativeGPT(t, 1)
	e := newGPTExec(t, m.Params(), GPTOptions{})
	const b, T = 3, 6
	ids, tgt := tokenBatch(b, T, 2)
	loss, grads, err := e.Gradients(ids, tgt, b, T)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := nativeGPTLossGrads(m, ids, tgt, b, T)
	if math.Abs(loss-want) > 1e-4*math.Abs(want) {
		t.Errorf("loss %v, native %v", loss, want)
	}
	if len(grads) != len(m.Params()) {
		t.Fatalf("%d gradients, want %d", len(grads), len(m.Params()))
	}
	for _, p := range m.Params() {
		if r := relErr(grads[p.Name], p.G, 0); r > 1e-4 || math.IsNaN(r) {
			t.Errorf("grad %s: rel err %.2e", p.Name, r)
		}
	}
}

// Three AdamW steps with a WD mask, clipping and an EMA give the same
// weights, Adam moments, EMA, losses and gradient norms on both executors.
func TestGPTStepsMatchNative(t *testing.T) {
	for _, l2 := range []bool{false, true} {
		t.Run(map[bool]string{false: "adamw", true: "adam-l2"}[l2], func(t *testing.T) { gptStepsMatchNative(t, l2) })
	}
}

// gptStepsMatchNative runs 3 AdamW (or Adam+L2) steps with clipping on the
// executor and natively. With L2 the penalty enters the gradient before
// clipping and counts in the gradient norm (optim.AdamW.AddPenalty).
func gptStepsMatchNative(t *testing.T, l2 bool) {
	m := nativeGPT(t, 4)
	for _, p := range m.Params() { // a mask that is neither all nor none
		p.Decay = len(p.Shape) == 2 && p.Name != "transformer.wpe.weight"
	}
	nativeOpt, ema, devOpt := optim.NewAdamW(), optim.NewEMA(m.Params(), 0.9), optim.NewAdamW()
	nativeOpt.L2, devOpt.L2 = l2, l2
	e := newGPTExec(t, m.Params(), GPTOptions{Optimizer: devOpt, EMA: optim.NewEMA(m.Params(), 0.9), GradClip: 1})
	const b, T, lr, wd = 2, 8, 0.01, 0.1
	clippedOnce := false
	for s := range 3 {
		ids, tgt := tokenBatch(b, T, uint64(20+s))
		got, err := e.TrainStep(ids, tgt, b, T, lr, wd)
		if err != nil {
			t.Fatal(err)
		}
		want, _ := nativeGPTLossGrads(m, ids, tgt, b, T)
		nativeOpt.AddPenalty(m.Params(), wd)
		norm, clipped := optim.ClipGradNorm(m.Params(), 1)
		nativeOpt.Step(m.Params(), lr, wd)
		ema.Update(m.Params())
		clippedOnce = clippedOnce || clipped
		if math.Abs(got.Loss-want) > 1e-4*want || math.Abs(got.GradNorm-norm) > 1e-4*norm || got.Clipped != clipped {
			t.Errorf("step %d: loss %v grad norm %v clipped %v, native %v %v %v", s, got.Loss, got.GradNorm, got.Clipped, want, norm, clipped)
		}
		if dn := optim.ParamNorm(m.Params(), func(p *nn.Param) bool { return p.Decay }); math.Abs(got.DecayedNorm-dn) > 1e-4*dn {
			t.Errorf("step %d: decayed norm %v, native %v", s, got.DecayedNorm, dn)
		}
	}
	if !clippedOnce {
		t.Error("no step clipped: the test does not exercise clipping")
	}
	out := nativeGPT(t, 99)
	if err := e.ReadParams(out.Params()); err != nil {
		t.Fatal(err)
	}
	compareParams(t, "after 3 AdamW steps", out.Params(), m.Params(), 1e-4)
	compareStates(t, "adam", e.OptimizerState, nativeOpt.State())
	compareStates(t, "ema", e.EMAState, ema.State())
}

// compareStates checks an executor state map against the native one.
func compareStates(t *testing.T, what string, get func() (map[string][]float32, error), want map[string][]float32) {
	t.Helper()
	got, err := get()
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("%s state has %d entries, native %d", what, len(got), len(want))
	}
	for k, v := range want {
		if r := relErr(got[k], v, 1e-6); r > 2e-4 || math.IsNaN(r) {
			t.Errorf("%s state %s: rel err %.2e", what, k, r)
		}
	}
}

// EvalLoss agrees with the native loss and error count, for the weights
// and for the EMA; bad tokens are errors.
func TestGPTEvalLoss(t *testing.T) {
	m := nativeGPT(t, 6)
	ema := optim.NewEMA(m.Params(), 0.5)
	e := newGPTExec(t, m.Params(), GPTOptions{Optimizer: &optim.SGD{}, EMA: ema})
	const b, T = 4, 8
	ids, tgt := tokenBatch(b, T, 7)
	if _, err := e.TrainStep(ids, tgt, b, T, 0.5, 0); err != nil {
		t.Fatal(err)
	}
	check := func(ema bool, native *nn.GPT) {
		loss, wrong, err := e.EvalLoss(ids, tgt, b, T, ema)
		if err != nil {
			t.Fatal(err)
		}
		want, wantWrong, _ := nn.LMCrossEntropy(native.Forward(ids, b, T, nn.Eval), tgt)
		if math.Abs(loss-want) > 1e-4*want || wrong != wantWrong {
			t.Errorf("ema=%v: loss %v wrong %d, native %v %d", ema, loss, wrong, want, wantWrong)
		}
	}
	iterate, avg := nativeGPT(t, 0), nativeGPT(t, 0)
	if err := e.ReadParams(iterate.Params()); err != nil {
		t.Fatal(err)
	}
	if err := e.ReadEMA(avg.Params()); err != nil {
		t.Fatal(err)
	}
	check(false, iterate)
	check(true, avg)
	ids[3] = int32(tinyGPTConfig.Vocab)
	if _, _, err := e.EvalLoss(ids, tgt, b, T, false); err == nil {
		t.Error("token outside the vocabulary: no error")
	}
	if _, _, err := e.EvalLoss(ids, tgt, b, tinyGPTConfig.Ctx+1, false); err == nil {
		t.Error("sequence longer than the context: no error")
	}
}

// In bf16 mode the loss and gradients stay within bf16 rounding of the
// native bf16 emulation.
func TestGPTBF16CloseToNative(t *testing.T) {
	m := nativeGPT(t, 8)
	m.BF16 = true
	e := newGPTExec(t, m.Params(), GPTOptions{BF16: true})
	const b, T = 2, 8
	ids, tgt := tokenBatch(b, T, 9)
	loss, grads, err := e.Gradients(ids, tgt, b, T)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := nativeGPTLossGrads(m, ids, tgt, b, T)
	if math.Abs(loss-want) > 2e-2*want {
		t.Errorf("bf16 loss %v, native %v", loss, want)
	}
	for _, p := range m.Params() {
		if r := relErr(grads[p.Name], p.G, 0); r > 5e-2 || math.IsNaN(r) {
			t.Errorf("bf16 grad %s: rel err %.2e", p.Name, r)
		}
	}
}

// CrossCheckGPT reports agreement on the Go backend.
func TestCrossCheckGPT(t *testing.T) {
	r, err := CrossCheckGPT(tinyGPTConfig, "go", 2, 2, 1)
	if err != nil {
		t.Fatal(err)
	}
	if r.GradRelErr > 1e-4 || r.ParamRelErr > 1e-4 || math.Abs(r.Loss-r.NativeLoss) > 1e-4*r.NativeLoss || r.GradWorst == "" || r.ParamWorst == "" {
		t.Errorf("cross-check: %+v", r)
	}
}

// Gradient accumulation on the device (3 micro-batches of 2 sequences)
// matches the native engine's accumulation, clipping and AdamW, over two
// optimizer steps.
func TestGPTAccumulationMatchesNative(t *testing.T) {
	m := nativeGPT(t, 11)
	nativeOpt := optim.NewAdamW()
	e := newGPTExec(t, m.Params(), GPTOptions{Optimizer: optim.NewAdamW(), GradClip: 1})
	const micro, T, k, lr, wd = 2, 8, 3, 0.01, 0.1
	for s := range 2 {
		ids, tgt := tokenBatch(k*micro, T, uint64(40+s))
		got, err := e.TrainStepAccum(ids, tgt, micro, T, k, lr, wd)
		if err != nil {
			t.Fatal(err)
		}
		m.ZeroGrad()
		want := 0.0
		n := micro * T
		for i := range k {
			l, _, g := nn.LMCrossEntropy(m.Forward(ids[i*n:(i+1)*n], micro, T, nn.Train), tgt[i*n:(i+1)*n])
			for j := range g.Data {
				g.Data[j] /= k
			}
			m.Backward(g)
			want += l / k
		}
		norm, clipped := optim.ClipGradNorm(m.Params(), 1)
		nativeOpt.Step(m.Params(), lr, wd)
		if math.Abs(got.Loss-want) > 1e-5*want || math.Abs(got.GradNorm-norm) > 1e-4*norm || got.Clipped != clipped {
			t.Errorf("step %d: loss %v grad norm %v clipped %v, native %v %v %v", s, got.Loss, got.GradNorm, got.Clipped, want, norm, clipped)
		}
	}
	out := nativeGPT(t, 99)
	if err := e.ReadParams(out.Params()); err != nil {
		t.Fatal(err)
	}
	compareParams(t, "after 2 accumulated AdamW steps", out.Params(), m.Params(), 1e-4)
	compareStates(t, "adam", e.OptimizerState, nativeOpt.State())
	if e.Steps() != 2 {
		t.Errorf("steps %d, want 2", e.Steps())
	}
	if _, err := e.TrainStepAccum(make([]int32, 5), make([]int32, 5), micro, T, k, lr, wd); err == nil {
		t.Error("too few tokens: no error")
	}
}
