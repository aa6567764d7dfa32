package train

import (
	"fmt"

	"wdlab/internal/config"
	"wdlab/internal/optim"
)

// RunLM trains a GPT as configured (the under-training regime), writing the
// run directory dir. Evaluations happen every train.eval_every steps and at
// the end.
func RunLM(cfg config.Config, dir string, opts Options) (*Summary, error) {
	if err := opts.checkExecutor(cfg.Executor); err != nil {
		return nil, err
	}
	return start(cfg, dir, opts, func() (looper, error) { return newLMRunner(cfg, dir) })
}

// lmProgress is an LM checkpoint's loop position and evaluation-window
// sums (the sampler's state is saved next to it).
type lmProgress struct {
	Position
	Clipped int `json:"clipped"`
	// The window's summed batch loss and its last gradient norm.
	WinLoss  float64 `json:"win_loss,omitempty"`
	GradNorm float64 `json:"grad_norm,omitempty"`
}

// budget is the LM run's length: train.steps, evaluated at step 0, every
// train.eval_every steps and at the end.
func (r *LMRunner) budget() Budget {
	t := r.Cfg.Train
	return Budget{Steps: t.Steps, Unit: 1, EvalEvery: t.EvalEvery, CheckpointEvery: t.CheckpointEvery, EvalAtStart: true}
}

// loop runs (or continues) the run on the shared training loop.
func (r *LMRunner) loop(opts Options) (*Summary, error) {
	s, _, err := Loop{Name: r.Cfg.Name, Dir: r.Dir, Budget: r.budget(), Opts: opts}.Run(&lmRun{LMRunner: r, build: opts.Executors[r.Cfg.Executor]})
	return s, err
}

// lmRun is an LM run as the shared loop drives it.
type lmRun struct {
	*LMRunner
	build    Executor // config.executor's accelerator (nil: native)
	restored bool     // a checkpoint supplied the state
	win      lmProgress
}

// Restore implements Regime.
func (l *lmRun) Restore() (Position, bool, error) {
	ok, err := l.loadCheckpoint(&l.win)
	l.restored = ok && err == nil
	return l.win.Position, ok, err
}

// Begin implements Regime: train.init_from's weights for a run without a
// checkpoint, then the accelerator.
func (l *lmRun) Begin() error {
	if !l.restored && l.Cfg.Train.InitFrom != "" {
		if err := l.initFrom(l.Cfg.Train.InitFrom); err != nil {
			return err
		}
	}
	if l.Cfg.Executor != "native" {
		return l.startAccelerator(l.build)
	}
	return nil
}

// End implements Regime.
func (l *lmRun) End() { l.close() }

// Step implements Regime; a non-finite gradient norm is a divergence too.
func (l *lmRun) Step(t int) (float64, bool, error) {
	loss, gn, clipped, err := l.step(t)
	if err != nil {
		return 0, false, err
	}
	l.stepped()
	l.win.WinLoss += loss
	l.win.GradNorm = gn
	if clipped {
		l.win.Clipped++
	}
	return loss, finite(loss, l.Cfg.Train.DivergeLoss) && finite(gn, 0), nil
}

// tokensPerStep is the number of training tokens of one optimizer step.
func (r *LMRunner) tokensPerStep() int {
	return r.Cfg.Train.BatchSize * r.Cfg.Train.GradAccum * r.Cfg.Model.Ctx
}

// Measure implements Regime.
func (l *lmRun) Measure(pos Position) (map[string]float64, error) {
	if pos.Step == 0 {
		return l.measure(0, 0, 0, 0, 0)
	}
	w := &l.win
	m, err := l.measure(pos.Step, w.WinLoss/float64(pos.WinSteps), w.GradNorm, float64(w.Clipped)/float64(pos.Step),
		float64(pos.WinSteps*l.tokensPerStep())/pos.WinSecs)
	w.WinLoss = 0
	return m, err
}

// Diverged implements Regime.
func (l *lmRun) Diverged(pos Position, loss float64) map[string]float64 {
	return map[string]float64{"step": float64(pos.Step), "tokens": float64(pos.Step * l.tokensPerStep()), "train_batch_loss": loss}
}

// Save implements Regime.
func (l *lmRun) Save(pos Position) error {
	if err := l.sync(l.state()); err != nil {
		return err
	}
	l.win.Position = pos
	return l.saveCheckpoint(l.win)
}

// Line implements Regime.
func (l *lmRun) Line(m map[string]float64) string {
	return fmt.Sprintf("step %d/%d train_loss=%.4f val_loss=%.4f decayed_eff_lr=%.3g tok/s=%.0f", int(m["step"]), l.Cfg.Train.Steps, m["train_loss"], m["val_loss"], m["decayed_eff_lr"], m["samples_per_s"])
}

// measure evaluates the iterate and the EMA and collects the LM metrics.
// On an accelerator it first pulls the state into the native side, so the
// norms here and the next checkpoint see the current weights.
func (r *LMRunner) measure(step int, batchLoss, gradNorm, clipFrac, tokPerS float64) (map[string]float64, error) {
	cfg := r.Cfg
	if err := r.sync(r.state()); err != nil {
		return nil, err
	}
	salt := uint64(step) + 1
	m := map[string]float64{"step": float64(step), "tokens": float64(step * r.tokensPerStep())}
	var errs [4]error
	m["train_loss"], m["train_err"], errs[0] = r.evalLoss(false, r.Train, salt)
	m["val_loss"], m["val_err"], errs[1] = r.evalLoss(false, r.Val, salt)
	if r.EMA != nil {
		r.EMA.CopyInto(r.EMAModel.Params())
		m["ema_train_loss"], m["ema_train_err"], errs[2] = r.evalLoss(true, r.Train, salt)
		m["ema_val_loss"], m["ema_val_err"], errs[3] = r.evalLoss(true, r.Val, salt)
		m["ema_param_norm"] = optim.ParamNorm(r.EMAModel.Params(), IsWeight)
	}
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	lr := r.lr(max(step-1, 0))
	dec := optim.ParamNorm(r.Model.Params(), IsDecayed)
	m["lr"], m["wd"] = lr, cfg.Optim.WD
	m["param_norm"] = optim.ParamNorm(r.Model.Params(), IsWeight)
	m["decayed_norm"] = dec
	if dec > 0 {
		m["decayed_eff_lr"] = lr / dec
	}
	if a, ok := r.Opt.(*optim.AdamW); ok && step > 0 {
		m["adam_elr"] = a.AdamELR(r.Model.Params(), lr)
	}
	if step > 0 {
		m["grad_norm"], m["clip_frac"], m["samples_per_s"] = gradNorm, clipFrac, tokPerS
		m["train_batch_loss"] = batchLoss
	}
	return m, nil
}
