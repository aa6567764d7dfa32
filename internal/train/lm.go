package train

import (
	"fmt"
	"path/filepath"
	"time"

	"wdlab/internal/config"
	"wdlab/internal/optim"
	"wdlab/internal/runio"
)

// RunLM trains a GPT as configured (the under-training regime), writing the
// run directory dir. Evaluations happen every train.eval_every steps and at
// the end.
func RunLM(cfg config.Config, dir string, opts Options) (*Summary, error) {
	if err := opts.checkExecutor(cfg.Executor, true); err != nil {
		return nil, err
	}
	return start(cfg, dir, opts, func() (looper, error) { return newLMRunner(cfg, dir) })
}

// lmProgress is the LM loop position saved in checkpoints.
type lmProgress struct {
	Step    int     `json:"step"`
	Clipped int     `json:"clipped"`
	WallS   float64 `json:"wall_s"`
	Lines   int     `json:"lines,omitempty"` // metrics.jsonl lines when checkpointed
	// The evaluation window so far (a run interrupted between evaluations
	// resumes inside it): summed batch loss, steps, seconds, last grad norm.
	WinLoss  float64 `json:"win_loss,omitempty"`
	WinSteps int     `json:"win_steps,omitempty"`
	WinSecs  float64 `json:"win_secs,omitempty"`
	GradNorm float64 `json:"grad_norm,omitempty"`
}

func (r *LMRunner) loop(opts Options) (*Summary, error) {
	cfg := r.Cfg
	var p lmProgress
	var lines []map[string]float64
	if opts.Resume {
		ok, err := r.loadCheckpoint(&p)
		if err != nil {
			return nil, err
		}
		if !ok && cfg.Train.InitFrom != "" {
			err = r.initFrom(cfg.Train.InitFrom)
		}
		if err != nil {
			return nil, err
		}
		upTo := p.Step
		if upTo == 0 {
			upTo = -1 // no checkpoint: the step-0 evaluation is written again
		}
		if lines, err = truncateMetrics(r.Dir, "step", upTo); err != nil {
			return nil, err
		}
		if err := checkResumedLines(r.Dir, len(lines), p.Lines); err != nil {
			return nil, err
		}
	} else if cfg.Train.InitFrom != "" {
		if err := r.initFrom(cfg.Train.InitFrom); err != nil {
			return nil, err
		}
	}
	write := func(status, msg string) (*Summary, error) {
		s := summarize(cfg.Name, status, lines, p.Step, p.WallS)
		s.Error = msg
		return &s, runio.WriteJSONAtomic(filepath.Join(r.Dir, runio.SummaryFile), s)
	}
	if _, err := write(runio.StatusRunning, ""); err != nil {
		return nil, err
	}
	if cfg.Executor != "native" {
		if err := r.startAccelerator(opts.Executors[cfg.Executor].LM); err != nil {
			return nil, err
		}
		defer r.Acc.Close()
	}
	tokPerStep := cfg.Train.BatchSize * cfg.Train.GradAccum * cfg.Model.Ctx
	if p.Step == 0 {
		m, err := r.measure(0, 0, 0, 0, 0)
		if err != nil {
			return nil, err
		}
		if err := appendMetrics(r.Dir, m); err != nil {
			return nil, err
		}
		lines = append(lines, m)
	}
	bar := newBar(opts, cfg.Train.Steps-p.Step, 1, 1)
	window := time.Now()
	// checkpoint saves the state at p.Step, first pulling it from an
	// accelerator unless measure just did.
	checkpoint := func(pull bool) error {
		if r.Acc != nil && pull {
			if err := r.Acc.Pull(r); err != nil {
				return err
			}
		}
		p.Lines = len(lines)
		return r.saveCheckpoint(p)
	}
	for p.Step < cfg.Train.Steps {
		loss, gn, clipped, err := r.step(p.Step)
		if err != nil {
			return nil, err
		}
		p.Step++
		p.WinSteps++
		bar.Add(1)
		p.WinLoss += loss
		p.GradNorm = gn
		if clipped {
			p.Clipped++
		}
		if !finite(loss, cfg.Train.DivergeLoss) || !finite(gn, 0) {
			bar.Finish()
			p.WallS += time.Since(window).Seconds()
			m := map[string]float64{"step": float64(p.Step), "tokens": float64(p.Step * tokPerStep), "train_batch_loss": loss, "wall_s": p.WallS}
			if err := appendMetrics(r.Dir, m); err != nil {
				return nil, err
			}
			lines = append(lines, m)
			return write(runio.StatusDiverged, "training loss or gradient is NaN, Inf or above train.diverge_loss")
		}
		if p.Step%cfg.Train.EvalEvery != 0 && p.Step != cfg.Train.Steps {
			if !opts.stopping() {
				continue
			}
			bar.Finish()
			secs := time.Since(window).Seconds()
			p.WallS += secs
			p.WinSecs += secs
			if err := checkpoint(true); err != nil {
				return nil, err
			}
			return write(runio.StatusInterrupted, interruptedMsg)
		}
		secs := time.Since(window).Seconds()
		p.WallS += secs
		m, err := r.measure(p.Step, p.WinLoss/float64(p.WinSteps), p.GradNorm, float64(p.Clipped)/float64(p.Step), float64(p.WinSteps*tokPerStep)/(p.WinSecs+secs))
		if err != nil {
			return nil, err
		}
		m["wall_s"] = p.WallS
		if err := appendMetrics(r.Dir, m); err != nil {
			return nil, err
		}
		lines = append(lines, m)
		if opts.Log != nil && !opts.Bar {
			fmt.Fprintf(opts.Log, "step %d/%d train_loss=%.4f val_loss=%.4f decayed_eff_lr=%.3g tok/s=%.0f\n", p.Step, cfg.Train.Steps, m["train_loss"], m["val_loss"], m["decayed_eff_lr"], m["samples_per_s"])
		}
		p.WinLoss, p.WinSteps, p.WinSecs = 0, 0, 0
		every := cfg.Train.CheckpointEvery
		stop := opts.stopping() && p.Step < cfg.Train.Steps
		if p.Step == cfg.Train.Steps || (every > 0 && p.Step%every == 0) || stop {
			if err := checkpoint(false); err != nil {
				return nil, err
			}
		}
		if stop {
			bar.Finish()
			return write(runio.StatusInterrupted, interruptedMsg)
		}
		window = time.Now()
	}
	bar.Finish()
	return write(runio.StatusCompleted, "")
}

// measure evaluates the iterate and the EMA and collects the LM metrics.
// On an accelerator it first pulls the state into the native side, so the
// norms here and the next checkpoint see the current weights.
func (r *LMRunner) measure(step int, batchLoss, gradNorm, clipFrac, tokPerS float64) (map[string]float64, error) {
	cfg := r.Cfg
	if r.Acc != nil {
		if err := r.Acc.Pull(r); err != nil {
			return nil, err
		}
	}
	salt := uint64(step) + 1
	m := map[string]float64{"step": float64(step), "tokens": float64(step * cfg.Train.BatchSize * cfg.Train.GradAccum * cfg.Model.Ctx)}
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
