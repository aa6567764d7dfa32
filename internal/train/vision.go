package train

import (
	"fmt"
	"io"
	"math"
	"path/filepath"
	"time"

	"wdlab/internal/config"
	"wdlab/internal/data"
	"wdlab/internal/nn"
	"wdlab/internal/optim"
	"wdlab/internal/runio"
)

// Options control a run's side effects.
type Options struct {
	Resume bool      // continue from checkpoints/last.safetensors if present
	Log    io.Writer // per-epoch lines and the progress bar (nil = silent)
	Bar    bool      // draw a progress bar (on a terminal)
	// Stop, when closed, ends the run after the current step with a
	// checkpoint at that step and status interrupted (SIGINT/SIGTERM).
	Stop <-chan struct{}
}

// stopping reports whether opts.Stop has been closed.
func (o Options) stopping() bool {
	select {
	case <-o.Stop:
		return true
	default:
		return false
	}
}

// Run trains a vision model as configured, writing the run directory dir.
func Run(cfg config.Config, dir string, opts Options) (*Summary, error) {
	return start(cfg, dir, opts, func() (looper, error) { return newRunner(cfg, dir) })
}

// newRunner loads data and builds model, optimizer, schedule and EMA.
func newRunner(cfg config.Config, dir string) (*Runner, error) {
	if cfg.Precision != "fp32" {
		return nil, &config.Error{Msg: fmt.Sprintf("precision %q: the vision models train in fp32 only (bf16 is for the GPT, as in the paper)", cfg.Precision)}
	}
	tr, te, err := LoadData(cfg)
	if err != nil {
		return nil, err
	}
	if tr.N < cfg.Train.BatchSize {
		return nil, &config.Error{Msg: fmt.Sprintf("train.batch_size %d exceeds the %d training examples", cfg.Train.BatchSize, tr.N)}
	}
	desc, err := Describe(cfg.Model, []int{tr.H, tr.W, tr.C}, tr.Classes)
	if err != nil {
		return nil, err
	}
	r := &Runner{Cfg: cfg, Dir: dir, Desc: desc, Train: tr, Test: te}
	if r.Model, err = nn.Build(desc); err != nil {
		return nil, &config.Error{Msg: err.Error()}
	}
	r.Model.Init(cfg.Seed)
	if err := loadInitWeights(r.Model, cfg.Train.InitWeights); err != nil {
		return nil, err
	}
	if r.Opt, err = NewOptimizer(cfg.Optim); err != nil {
		return nil, err
	}
	if cfg.Executor != "native" && AcceleratorFactory == nil {
		return nil, &config.Error{Msg: fmt.Sprintf("executor %q is not available in this build", cfg.Executor)}
	}
	r.StepsPerEp = data.NumBatches(tr.N, cfg.Train.BatchSize)
	if cfg.Train.Steps > 0 { // a fixed number of iterations whatever the dataset size
		r.Cfg.Train.Epochs = (cfg.Train.Steps + r.StepsPerEp - 1) / r.StepsPerEp
		cfg = r.Cfg
	}
	// The vision LR drop falls on an epoch boundary (spec 3.3).
	r.Sched = NewSchedule(cfg.Optim, r.StepsPerEp*cfg.Train.Epochs, int(float64(cfg.Train.Epochs)*cfg.Optim.DropAt)*r.StepsPerEp)
	if cfg.Train.EMA > 0 {
		r.EMA = optim.NewEMA(r.Model.Params(), cfg.Train.EMA)
		if r.EMAModel, err = nn.Build(desc); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// loop runs (or continues) the epochs and writes metrics, checkpoints and
// the summary.
func (r *Runner) loop(opts Options) (*Summary, error) {
	cfg := r.Cfg
	var p progress
	var lines []map[string]float64
	if opts.Resume {
		var ok bool
		var err error
		if p, ok, err = r.loadCheckpoint(); err != nil {
			return nil, err
		}
		if lines, err = truncateMetrics(r.Dir, "epoch", p.Epoch); err != nil {
			return nil, err
		}
		if err := checkResumedLines(r.Dir, len(lines), p.Lines); err != nil {
			return nil, err
		}
		if ok && opts.Log != nil {
			fmt.Fprintf(opts.Log, "resuming %s at epoch %d\n", r.Dir, p.Epoch)
		}
	}
	if r.Cfg.Executor != "native" {
		acc, err := AcceleratorFactory(r)
		if err != nil {
			return nil, err
		}
		defer acc.Close()
		r.Acc = acc
	}
	var hooks []Hook
	for _, f := range hookFactories {
		if h := f(r); h != nil {
			hooks = append(hooks, h)
		}
	}
	if err := r.writeSummary(runio.StatusRunning, lines, p, ""); err != nil {
		return nil, err
	}
	b := cfg.Train.BatchSize
	siPrev := optim.SnapshotParams(r.Model.Params(), IsScaleInv)
	for epoch := p.Epoch + 1; epoch <= cfg.Train.Epochs; epoch++ {
		start := time.Now()
		order := data.EpochOrder(r.Train.N, cfg.Seed, epoch)
		first := max(0, p.Step-(epoch-1)*r.StepsPerEp) // > 0: resumed inside the epoch
		bar := newBar(opts, r.StepsPerEp-first, epoch, cfg.Train.Epochs)
		var lr float64
		diverged := false
		for s := first; s < r.StepsPerEp; s++ {
			if s > first && opts.stopping() { // never at the epoch's end: it evaluates first
				bar.Finish()
				secs := time.Since(start).Seconds()
				p.WinSecs += secs
				p.WallS += secs
				return r.interrupt(p, lines)
			}
			lr = r.Sched.At(p.Step)
			loss, ang, err := r.trainStep(order[s*b:(s+1)*b], lr, &siPrev)
			if err != nil {
				return nil, err
			}
			p.Step++
			if !finite(loss, cfg.Train.DivergeLoss) {
				diverged = true
				p.CESum = loss * float64(p.WinSteps+1)
				break
			}
			p.CESum += loss
			p.AngSum += ang
			p.WinSteps++
			bar.Add(1)
		}
		bar.Finish()
		trainSecs := time.Since(start).Seconds()
		p.WinSecs += trainSecs
		if r.Acc != nil {
			if err := r.Acc.Pull(r); err != nil {
				return nil, err
			}
		}
		if diverged {
			p.WallS += trainSecs
			m := map[string]float64{"epoch": float64(epoch), "step": float64(p.Step), "lr": lr, "wd": cfg.Optim.WD, "train_batch_ce": p.CESum / float64(p.WinSteps+1), "wall_s": p.WallS}
			if err := appendMetrics(r.Dir, m); err != nil {
				return nil, err
			}
			lines = append(lines, m)
			s := summarize(cfg.Name, runio.StatusDiverged, lines, p.Step, p.WallS)
			return &s, r.writeSummary(runio.StatusDiverged, lines, p, "training loss is NaN, Inf or above train.diverge_loss")
		}
		if rad := cfg.Probe.SphereRadius; rad > 0 {
			ProjectToSphere(r.Model.Params(), rad)
			siPrev = optim.SnapshotParams(r.Model.Params(), IsScaleInv)
			if r.Acc != nil {
				if err := r.Acc.Push(r); err != nil {
					return nil, err
				}
			}
		}
		if epoch%cfg.Train.EvalEvery != 0 && epoch != cfg.Train.Epochs {
			p.Epoch = epoch
			p.WallS += time.Since(start).Seconds()
			p.Lines = len(lines)
			if err := r.maybeCheckpoint(p); err != nil {
				return nil, err
			}
			if opts.stopping() && epoch < cfg.Train.Epochs {
				return r.interrupt(p, lines)
			}
			continue
		}
		m := r.evaluate(epoch, order)
		m["step"], m["lr"], m["wd"] = float64(p.Step), lr, cfg.Optim.WD
		m["train_batch_ce"] = p.CESum / float64(p.WinSteps)
		m["angular_update"] = p.AngSum / float64(p.WinSteps)
		m["samples_per_s"] = float64(p.WinSteps*b) / p.WinSecs
		p.AngSum, p.CESum, p.WinSteps, p.WinSecs = 0, 0, 0, 0
		for _, h := range hooks {
			if err := h.AfterEpoch(r, epoch, m); err != nil {
				return nil, err
			}
		}
		p.Epoch = epoch
		p.WallS += time.Since(start).Seconds()
		m["wall_s"] = p.WallS
		if err := appendMetrics(r.Dir, m); err != nil {
			return nil, err
		}
		lines = append(lines, m)
		if opts.Log != nil {
			fmt.Fprintln(opts.Log, epochLine(m, cfg.Train.Epochs))
		}
		p.Lines = len(lines)
		if err := r.maybeCheckpoint(p); err != nil {
			return nil, err
		}
		if opts.stopping() && epoch < cfg.Train.Epochs {
			return r.interrupt(p, lines)
		}
	}
	s := summarize(cfg.Name, runio.StatusCompleted, lines, p.Step, p.WallS)
	return &s, r.writeSummary(runio.StatusCompleted, lines, p, "")
}

// trainStep runs one step on the accelerator or the native engine, updates
// the EMA and returns the loss and the scale-invariant group's angle.
func (r *Runner) trainStep(idx []int, lr float64, siPrev *[][]float32) (loss, angle float64, err error) {
	if r.Acc != nil {
		r.gather(idx)
		loss, err = r.Acc.TrainStep(r.x.Data, r.y, len(idx), lr, r.Cfg.Optim.WD)
		return loss, r.Acc.AngularUpdate(), err
	}
	loss, _ = r.Step(r.Model, r.Opt, idx, lr, r.Cfg.Optim.WD)
	if r.EMA != nil {
		r.EMA.Update(r.Model.Params())
	}
	siCur := optim.SnapshotParams(r.Model.Params(), IsScaleInv)
	if len(siCur) > 0 {
		angle = optim.AngularUpdate(*siPrev, siCur)
	}
	*siPrev = siCur
	return loss, angle, nil
}

// interrupt ends a run stopped on request: a checkpoint at p (pulled from
// an accelerator first) and status interrupted.
func (r *Runner) interrupt(p progress, lines []map[string]float64) (*Summary, error) {
	if r.Acc != nil {
		if err := r.Acc.Pull(r); err != nil {
			return nil, err
		}
	}
	p.Lines = len(lines)
	if err := r.saveCheckpoint(p); err != nil {
		return nil, err
	}
	s := summarize(r.Cfg.Name, runio.StatusInterrupted, lines, p.Step, p.WallS)
	s.Error = interruptedMsg
	return &s, r.writeSummary(runio.StatusInterrupted, lines, p, interruptedMsg)
}

// maybeCheckpoint saves at the configured interval and at the end.
func (r *Runner) maybeCheckpoint(p progress) error {
	every := r.Cfg.Train.CheckpointEvery
	if p.Epoch == r.Cfg.Train.Epochs || (every > 0 && p.Epoch%every == 0) {
		return r.saveCheckpoint(p)
	}
	return nil
}

// evaluate measures the iterate and the EMA (after BN recalibration over
// this epoch's batches) on the full train and test splits.
func (r *Runner) evaluate(epoch int, order []int) map[string]float64 {
	eb := r.Cfg.Train.EvalBatchSize
	m := map[string]float64{"epoch": float64(epoch)}
	tr, te := Evaluate(r.Model, r.Train, eb), Evaluate(r.Model, r.Test, eb)
	m["train_ce"], m["train_err"], m["test_ce"], m["test_err"] = tr.CE, tr.Err, te.CE, te.Err
	pn := optim.ParamNorm(r.Model.Params(), IsWeight)
	m["param_norm"] = pn
	m["train_loss"] = tr.CE + 0.5*r.Cfg.Optim.WD*pn*pn
	if si := optim.ParamNorm(r.Model.Params(), IsScaleInv); si > 0 {
		m["si_param_norm"] = si
		m["eff_lr"] = r.Sched.At(max(0, epoch*r.StepsPerEp-1)) / (si * si)
	}
	if r.EMA != nil {
		r.EMA.CopyInto(r.EMAModel.Params())
		RecalibrateBN(r.EMAModel, r.Train, order, r.Cfg.Train.BatchSize)
		etr, ete := Evaluate(r.EMAModel, r.Train, eb), Evaluate(r.EMAModel, r.Test, eb)
		m["ema_train_ce"], m["ema_train_err"], m["ema_test_ce"], m["ema_test_err"] = etr.CE, etr.Err, ete.CE, ete.Err
		m["ema_param_norm"] = optim.ParamNorm(r.EMAModel.Params(), IsWeight)
		if si := optim.ParamNorm(r.EMAModel.Params(), IsScaleInv); si > 0 {
			m["ema_si_param_norm"] = si
		}
	}
	return m
}

// writeSummary writes summary.json atomically.
func (r *Runner) writeSummary(status string, lines []map[string]float64, p progress, msg string) error {
	s := summarize(r.Cfg.Name, status, lines, p.Step, p.WallS)
	s.Error = msg
	err := runio.WriteJSONAtomic(filepath.Join(r.Dir, runio.SummaryFile), s)
	if err != nil {
		return fmt.Errorf("writing summary: %w", err)
	}
	return nil
}

// ProjectToSphere rescales all trainable parameters jointly to norm radius.
func ProjectToSphere(params []*nn.Param, radius float64) {
	n := optim.ParamNorm(params, func(p *nn.Param) bool { return p.Trainable() })
	if n == 0 || math.IsNaN(n) {
		return
	}
	s := float32(radius / n)
	for _, p := range params {
		if p.Trainable() {
			for i := range p.W {
				p.W[i] *= s
			}
		}
	}
}
