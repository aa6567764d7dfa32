package train

import (
	"math"

	"wdlab/internal/config"
	"wdlab/internal/data"
	"wdlab/internal/nn"
	"wdlab/internal/optim"
)

// Run trains a vision model as configured, writing the run directory dir.
func Run(cfg config.Config, dir string, opts Options) (*Summary, error) {
	if err := opts.checkExecutor(cfg.Executor); err != nil {
		return nil, err
	}
	return start(cfg, dir, opts, func() (looper, error) { return newRunner(cfg, dir) })
}

// newRunner loads data and builds model, optimizer, schedule and EMA.
func newRunner(cfg config.Config, dir string) (*Runner, error) {
	if cfg.Precision != "fp32" {
		return nil, config.Inputf("precision %q: the vision models train in fp32 only (bf16 is for the GPT, as in the paper)", cfg.Precision)
	}
	tr, te, err := LoadData(cfg)
	if err != nil {
		return nil, err
	}
	if tr.N < cfg.Train.BatchSize {
		return nil, config.Inputf("train.batch_size %d exceeds the %d training examples", cfg.Train.BatchSize, tr.N)
	}
	desc, err := Describe(cfg.Model, []int{tr.H, tr.W, tr.C}, tr.Classes)
	if err != nil {
		return nil, err
	}
	r := &Runner{Cfg: cfg, Dir: dir, Desc: desc, Train: tr, Test: te}
	if r.Model, err = nn.Build(desc); err != nil {
		return nil, config.Input(err)
	}
	r.Model.Init(cfg.Seed)
	if err := loadInitWeights(r.Model, cfg.Train.InitWeights); err != nil {
		return nil, err
	}
	if r.Opt, err = NewOptimizer(cfg.Optim); err != nil {
		return nil, err
	}
	r.StepsPerEp = data.NumBatches(tr.N, cfg.Train.BatchSize)
	// With an epoch budget the LR drop falls on an epoch boundary, as in
	// the paper; with train.steps at step round(drop_at*steps), even
	// inside an epoch.
	steps := r.budget().Steps
	drop := int(float64(cfg.Train.Epochs)*cfg.Optim.DropAt) * r.StepsPerEp
	if cfg.Train.Steps > 0 {
		drop = int(math.Round(cfg.Optim.DropAt * float64(steps)))
	}
	r.Sched = NewSchedule(cfg.Optim, steps, drop)
	if cfg.Train.EMA > 0 {
		r.EMA = optim.NewEMA(r.Model.Params(), cfg.Train.EMA)
		if r.EMAModel, err = nn.Build(desc); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// budget is the run's length: train.steps when set (evaluation and
// checkpoint intervals then count steps), else train.epochs whole epochs.
func (r *Runner) budget() Budget {
	t := r.Cfg.Train
	if t.Steps > 0 {
		return Budget{Steps: t.Steps, Unit: 1, EvalEvery: t.EvalEvery, CheckpointEvery: t.CheckpointEvery}
	}
	return Budget{Steps: t.Epochs * r.StepsPerEp, Unit: r.StepsPerEp, EvalEvery: t.EvalEvery, CheckpointEvery: t.CheckpointEvery}
}

// loop runs (or continues) the run on the shared training loop.
func (r *Runner) loop(opts Options) (*Summary, error) {
	s, _, err := Loop{Name: r.Cfg.Name, Dir: r.Dir, Budget: r.budget(), Opts: opts}.Run(&visionRun{Runner: r, opts: opts})
	return s, err
}

// visionRun is a vision run as the shared loop drives it. The data order
// of step t is a pure function of (seed, epoch t/StepsPerEp+1), so the
// step number is the whole sampler state.
type visionRun struct {
	*Runner
	opts          Options // the accelerator's executor and the hooks
	hooks         []Hook
	siPrev        [][]float32 // the scale-invariant group before the last step
	orderEpoch    int
	order         []int // the data order of epoch orderEpoch
	ceSum, angSum float64
}

// Restore implements Regime.
func (v *visionRun) Restore() (Position, bool, error) {
	p, ok, err := v.loadCheckpoint()
	v.ceSum, v.angSum = p.CESum, p.AngSum
	return p.Position, ok, err
}

// Begin implements Regime: the accelerator and the hooks.
func (v *visionRun) Begin() error {
	if v.Cfg.Executor != "native" {
		acc, err := v.opts.Executors[v.Cfg.Executor](AccelSpec{Cfg: v.Cfg, Desc: &v.Desc, Model: v.Model, State: v.state()})
		if err != nil {
			return err
		}
		v.Acc = acc
	}
	for _, f := range v.opts.Hooks {
		if h := f(v.Runner); h != nil {
			v.hooks = append(v.hooks, h)
		}
	}
	v.siPrev = optim.SnapshotParams(v.Model.Params(), IsScaleInv)
	return nil
}

// End implements Regime.
func (v *visionRun) End() { v.close() }

// epochOrder returns the data order of epoch (1-based).
func (v *visionRun) epochOrder(epoch int) []int {
	if v.order == nil || v.orderEpoch != epoch {
		v.order, v.orderEpoch = data.EpochOrder(v.Train.N, v.Cfg.Seed, epoch), epoch
	}
	return v.order
}

// Step implements Regime: batch t%StepsPerEp of epoch t/StepsPerEp+1, and
// at an epoch's end the sphere projection when configured.
func (v *visionRun) Step(t int) (float64, bool, error) {
	spe, b := v.StepsPerEp, v.Cfg.Train.BatchSize
	s := t % spe
	order := v.epochOrder(t/spe + 1)
	loss, ang, err := v.trainStep(order[s*b:(s+1)*b], v.Sched.At(t), &v.siPrev)
	if err != nil {
		return 0, false, err
	}
	v.stepped()
	if !finite(loss, v.Cfg.Train.DivergeLoss) {
		return loss, false, nil
	}
	v.ceSum += loss
	v.angSum += ang
	if rad := v.Cfg.Probe.SphereRadius; rad > 0 && s == spe-1 {
		if err := v.sync(v.state()); err != nil {
			return 0, false, err
		}
		ProjectToSphere(v.Model.Params(), rad)
		v.siPrev = optim.SnapshotParams(v.Model.Params(), IsScaleInv)
		if v.Acc != nil {
			if err := v.Acc.Push(v.state()); err != nil {
				return 0, false, err
			}
		}
	}
	return loss, true, nil
}

// Measure implements Regime: the iterate and the EMA on the full splits,
// the window's means, then the hooks (which see the point's position in
// the run's unit: its epoch, or its step with train.steps).
func (v *visionRun) Measure(pos Position) (map[string]float64, error) {
	if err := v.sync(v.state()); err != nil {
		return nil, err
	}
	spe := v.StepsPerEp
	m, err := v.evaluate(pos.Step, v.epochOrder((pos.Step-1)/spe+1))
	if err != nil {
		return nil, err
	}
	m["epoch"] = float64(pos.Step) / float64(spe)
	m["step"], m["lr"], m["wd"] = float64(pos.Step), v.Sched.At(pos.Step-1), v.Cfg.Optim.WD
	m["train_batch_ce"] = v.ceSum / float64(pos.WinSteps)
	m["angular_update"] = v.angSum / float64(pos.WinSteps)
	m["samples_per_s"] = float64(pos.WinSteps*v.Cfg.Train.BatchSize) / pos.WinSecs
	v.ceSum, v.angSum = 0, 0
	at := pos.Step / v.budget().Unit
	for _, h := range v.hooks {
		if err := h.AfterEpoch(v.Runner, at, m); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// Diverged implements Regime: the line names the epoch (1-based) of the
// step that diverged.
func (v *visionRun) Diverged(pos Position, loss float64) map[string]float64 {
	return map[string]float64{"epoch": float64((pos.Step-1)/v.StepsPerEp + 1), "step": float64(pos.Step),
		"lr": v.Sched.At(pos.Step - 1), "wd": v.Cfg.Optim.WD, "train_batch_ce": loss}
}

// Save implements Regime.
func (v *visionRun) Save(pos Position) error {
	if err := v.sync(v.state()); err != nil {
		return err
	}
	return v.saveCheckpoint(progress{pos, v.angSum, v.ceSum})
}

// Line implements Regime.
func (v *visionRun) Line(m map[string]float64) string { return visionLine(m, v.budget()) }

// trainStep runs one step on the accelerator or the native engine, updates
// the EMA and returns the loss and the scale-invariant group's angle.
func (r *Runner) trainStep(idx []int, lr float64, siPrev *[][]float32) (loss, angle float64, err error) {
	if r.Acc != nil {
		r.gather(idx)
		s, err := r.Acc.Step(Batch{X: r.x.Data, Y: r.y, N: len(idx)}, lr, r.Cfg.Optim.WD)
		return s.Loss, s.Angle, err
	}
	loss, _ = r.Step(r.Model, r.Opt, idx, lr, r.Cfg.Optim.WD)
	return loss, r.state().AfterStep(siPrev), nil
}

// evaluate measures the iterate and the EMA (after BN recalibration over
// the batches of the data order order) on the full train and test splits
// after step steps, with the accelerator's forward passes when it has
// them (Forwarder).
func (r *Runner) evaluate(step int, order []int) (map[string]float64, error) {
	fwd := NativeForward
	if f, ok := r.Acc.(Forwarder); ok {
		fwd = f.Forward
	}
	eb := r.Cfg.Train.EvalBatchSize
	splits := func(model *nn.Model) (tr, te EvalResult, err error) {
		if tr, err = EvaluateWith(fwd, model, r.Train, eb); err == nil {
			te, err = EvaluateWith(fwd, model, r.Test, eb)
		}
		return tr, te, err
	}
	m := map[string]float64{}
	tr, te, err := splits(r.Model)
	if err != nil {
		return nil, err
	}
	m["train_ce"], m["train_err"], m["test_ce"], m["test_err"] = tr.CE, tr.Err, te.CE, te.Err
	pn := optim.ParamNorm(r.Model.Params(), IsWeight)
	m["param_norm"] = pn
	m["train_loss"] = tr.CE + 0.5*r.Cfg.Optim.WD*pn*pn
	if si := optim.ParamNorm(r.Model.Params(), IsScaleInv); si > 0 {
		m["si_param_norm"] = si
		m["eff_lr"] = r.Sched.At(max(0, step-1)) / (si * si)
	}
	if r.EMA != nil {
		r.EMA.CopyInto(r.EMAModel.Params())
		if err := RecalibrateBNWith(fwd, r.EMAModel, r.Train, order, r.Cfg.Train.BatchSize); err != nil {
			return nil, err
		}
		etr, ete, err := splits(r.EMAModel)
		if err != nil {
			return nil, err
		}
		m["ema_train_ce"], m["ema_train_err"], m["ema_test_ce"], m["ema_test_err"] = etr.CE, etr.Err, ete.CE, ete.Err
		m["ema_param_norm"] = optim.ParamNorm(r.EMAModel.Params(), IsWeight)
		if si := optim.ParamNorm(r.EMAModel.Params(), IsScaleInv); si > 0 {
			m["ema_si_param_norm"] = si
		}
	}
	return m, nil
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
