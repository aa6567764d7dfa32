package train

import (
	"math"
	"math/rand/v2"
	"strings"

	"wdlab/internal/config"
	"wdlab/internal/nn"
	"wdlab/internal/optim"
	"wdlab/internal/tokens"
)

// LMRunner holds one language-model run: the GPT iterate and its EMA copy,
// token streams, sampler, AdamW-family optimizer and schedule.
type LMRunner struct {
	Cfg        config.Config
	Dir        string
	Model      *nn.GPT
	EMAModel   *nn.GPT
	EMA        *optim.EMA
	Opt        optim.Optimizer
	Sched      optim.Schedule
	Train, Val []uint16
	Sampler    tokens.Sampler
	// mirror's Acc, when set, runs the steps and, as an Evaluator, the
	// evaluations (config.executor).
	mirror
	matchRef   *effLRCurve
	starts     []int
	x, y       []int32
	accX, accY []int32 // one optimizer step's tokens (all micro-batches) for Acc
	accNorm    float64 // decayed-group norm after Acc's last step
}

// newLMRunner builds the GPT and everything around it.
func newLMRunner(cfg config.Config, dir string) (*LMRunner, error) {
	tr, va, vocab, err := LoadTokens(cfg)
	if err != nil {
		return nil, err
	}
	if cfg.Model.Vocab > 0 && cfg.Model.Vocab < vocab {
		return nil, config.Inputf("model.vocab %d is smaller than the tokenizer's %d", cfg.Model.Vocab, vocab)
	}
	if cfg.Model.Vocab > vocab {
		vocab = cfg.Model.Vocab
	}
	gc := nn.GPTConfig{Vocab: vocab, Ctx: cfg.Model.Ctx, Layers: cfg.Model.Layers, Heads: cfg.Model.Heads, Dim: cfg.Model.Dim}
	r := &LMRunner{Cfg: cfg, Dir: dir, Train: tr, Val: va}
	if r.Model, err = nn.NewGPT(gc); err != nil {
		return nil, config.Inputf("model: %w", err)
	}
	r.Model.Init(cfg.Seed)
	r.Model.BF16 = cfg.Precision == "bf16"
	applyWDInclude(r.Model.Params(), cfg.Optim.WDInclude)
	if r.Opt, err = NewOptimizer(cfg.Optim); err != nil {
		return nil, err
	}
	r.Sched = NewSchedule(cfg.Optim, cfg.Train.Steps, int(float64(cfg.Train.Steps)*cfg.Optim.DropAt))
	if cfg.Train.EMA > 0 {
		r.EMA = optim.NewEMA(r.Model.Params(), cfg.Train.EMA)
		if r.EMAModel, err = nn.NewGPT(gc); err != nil {
			return nil, err
		}
		r.EMAModel.BF16 = r.Model.BF16 // the EMA is evaluated in the iterate's precision
	}
	if r.Sampler, err = NewSampler(cfg, len(tr)); err != nil {
		return nil, err
	}
	if cfg.Optim.MatchEffLR != "" {
		if r.matchRef, err = loadEffLRCurve(cfg.Optim.MatchEffLR); err != nil {
			return nil, config.Inputf("optim.match_eff_lr: %w", err)
		}
	}
	r.starts = make([]int, cfg.Train.BatchSize)
	r.x = make([]int32, cfg.Train.BatchSize*gc.Ctx)
	r.y = make([]int32, len(r.x))
	return r, nil
}

// NewSampler returns the training-window sampler of an LM config over a
// stream of n training tokens, serving micro-batches of train.batch_size
// windows (grad_accum of them per step): with data.one_pass, windows that
// never repeat a token, refused (a *config.InputError) when train.steps needs
// more than one pass; otherwise random windows.
func NewSampler(cfg config.Config, n int) (tokens.Sampler, error) {
	ctx := cfg.Model.Ctx
	if !cfg.Data.OnePass {
		s, err := tokens.NewWindows(n, ctx, cfg.Seed)
		if err != nil {
			return nil, config.Input(err)
		}
		return s, nil
	}
	op, err := tokens.NewOnePass(n, ctx, cfg.Train.BatchSize, cfg.Seed)
	if err != nil {
		return nil, config.Inputf("data.one_pass: %w", err)
	}
	if err := checkBudget(cfg, op); err != nil {
		return nil, err
	}
	return op, nil
}

// checkBudget refuses (a *config.InputError) a one-pass sampler whose rest of
// the pass cannot serve train.steps more steps.
func checkBudget(cfg config.Config, s tokens.Sampler) error {
	op, ok := s.(*tokens.OnePass)
	if !ok {
		return nil
	}
	if err := op.Budget(cfg.Train.Steps * cfg.Train.GradAccum * cfg.Train.BatchSize * cfg.Model.Ctx); err != nil {
		return config.Inputf("train.steps: %w", err)
	}
	return nil
}

// applyWDInclude sets Decay from parameter-name substrings when given.
func applyWDInclude(ps []*nn.Param, include []string) {
	if len(include) == 0 {
		return
	}
	for _, p := range ps {
		if p.Buffer {
			continue
		}
		p.Decay = false
		for _, s := range include {
			if strings.Contains(p.Name, s) {
				p.Decay = true
			}
		}
		p.ScaleInv = p.Decay
	}
}

// state is the run's native training state.
func (r *LMRunner) state() State { return State{r.Model.Params(), r.Opt, r.EMA} }

// IsDecayed selects the weight-decayed group.
func IsDecayed(p *nn.Param) bool { return p.Decay && !p.Buffer }

// lr returns the learning rate of step t: the schedule's, or in effective-LR
// matching mode the reference run's decayed_eff_lr times this run's decayed norm
// (on an accelerator, the norm its last step reported).
func (r *LMRunner) lr(t int) float64 {
	if r.matchRef == nil {
		return r.Sched.At(t)
	}
	norm := r.accNorm
	if r.Acc == nil {
		norm = optim.ParamNorm(r.Model.Params(), IsDecayed)
	}
	return optim.MatchLR(r.matchRef.at(t), norm)
}

// startAccelerator hands the steps to config.executor's accelerator, from
// the native model's current state; the caller closes r.Acc.
func (r *LMRunner) startAccelerator(build Executor) error {
	acc, err := build(AccelSpec{Cfg: r.Cfg, GPT: &r.Model.Config, State: r.state()})
	if err != nil {
		return err
	}
	r.Acc = acc
	n := r.Cfg.Train.GradAccum * len(r.x)
	r.accX, r.accY = make([]int32, n), make([]int32, n)
	r.accNorm = optim.ParamNorm(r.Model.Params(), IsDecayed)
	return nil
}

// step runs one optimizer iteration (grad_accum micro-batches) and returns
// the mean loss, the pre-clip gradient norm (with Adam+L2, of the gradient
// with its penalty term) and whether it was clipped.
func (r *LMRunner) step(t int) (loss, gradNorm float64, clipped bool, err error) {
	if r.Acc != nil {
		return r.accStep(t)
	}
	ctx, acc := r.Cfg.Model.Ctx, r.Cfg.Train.GradAccum
	b := r.Cfg.Train.BatchSize
	r.Model.ZeroGrad()
	for range acc {
		if err := r.Sampler.Next(r.starts); err != nil {
			return 0, 0, false, err
		}
		tokens.Fill(r.Train, r.starts, ctx, r.x, r.y)
		l, _, g := nn.LMCrossEntropy(r.Model.Forward(r.x, b, ctx, nn.Train), r.y)
		if acc > 1 {
			for i := range g.Data {
				g.Data[i] /= float32(acc)
			}
		}
		r.Model.Backward(g)
		loss += l / float64(acc)
	}
	if gp, ok := r.Opt.(optim.GradPenalty); ok { // Adam+L2: clip the full gradient
		gp.AddPenalty(r.Model.Params(), r.Cfg.Optim.WD)
	}
	if r.Cfg.Optim.GradClip > 0 {
		gradNorm, clipped = optim.ClipGradNorm(r.Model.Params(), r.Cfg.Optim.GradClip)
	} else {
		gradNorm = gradL2(r.Model.Params())
	}
	r.Opt.Step(r.Model.Params(), r.lr(t), r.Cfg.Optim.WD)
	if r.EMA != nil {
		r.EMA.Update(r.Model.Params())
	}
	return loss, gradNorm, clipped, nil
}

// gradL2 is the global gradient norm over trainable parameters.
func gradL2(ps []*nn.Param) float64 {
	var s float64
	for _, p := range ps {
		if p.Trainable() {
			for _, g := range p.G {
				s += float64(g) * float64(g)
			}
		}
	}
	return math.Sqrt(s)
}

// evalLoss is the mean token CE and error rate of the iterate (or its EMA)
// over eval_examples random windows of stream, drawn from a PCG seeded by
// (seed, salt) so every evaluation and every resumed run sees the same
// windows. Natively the EMA is read from r.EMAModel.
func (r *LMRunner) evalLoss(ema bool, stream []uint16, salt uint64) (loss, errRate float64, err error) {
	m := r.Model
	if ema {
		m = r.EMAModel
	}
	ctx, b := r.Cfg.Model.Ctx, r.Cfg.Train.BatchSize
	rng := rand.New(rand.NewPCG(r.Cfg.Seed, salt))
	batches := max(1, (r.Cfg.Train.EvalExamples+b-1)/b)
	starts := make([]int, b)
	x, y := make([]int32, b*ctx), make([]int32, b*ctx)
	var nErr int
	for range batches {
		for i := range starts {
			starts[i] = rng.IntN(len(stream) - ctx)
		}
		tokens.Fill(stream, starts, ctx, x, y)
		var l float64
		var e int
		if ev, ok := r.Acc.(Evaluator); ok {
			if l, e, err = ev.Eval(Batch{IDs: x, Y: y, N: b, T: ctx, K: 1}, ema); err != nil {
				return 0, 0, err
			}
		} else {
			l, e, _ = nn.LMCrossEntropy(m.Forward(x, b, ctx, nn.Eval), y)
		}
		loss += l
		nErr += e
	}
	return loss / float64(batches), float64(nErr) / float64(batches*b*ctx), nil
}
