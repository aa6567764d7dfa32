package equilibrium

import (
	"context"
	"math"
	"time"

	"wdlab/internal/data"
	"wdlab/internal/nn"
	"wdlab/internal/optim"
	"wdlab/internal/probe"
	"wdlab/internal/runio"
	"wdlab/internal/train"
)

// Cell is the measurement of one (lr, wd) cell over its stationary window
// (the last Window steps). Means are over the window's steps.
type Cell struct {
	Name    string  `json:"name"`
	LR      float64 `json:"lr"`
	WD      float64 `json:"wd"`
	Product float64 `json:"lr_wd"`
	Steps   int     `json:"steps"`
	Window  int     `json:"window"`
	// Diverged is set when the training loss became NaN or Inf; the
	// measurements are then absent.
	Diverged bool `json:"diverged,omitempty"`
	// SINorm is the mean norm ||w|| of the scale-invariant group.
	SINorm float64 `json:"si_param_norm"`
	// EffLR is lr / E||w||^2.
	EffLR float64 `json:"eff_lr"`
	// AngleMean and AngleRMS are the mean and root-mean-square angle (rad)
	// between consecutive iterates of the scale-invariant group.
	AngleMean float64 `json:"angular_update_mean"`
	AngleRMS  float64 `json:"angular_update_rms"`
	// GradSq is E||g||^2 of the group's mini-batch CE gradient at w_t, and
	// GradSqUnit is E[||g||^2 ||w||^2] = E||g(w~)||^2 at unit norm.
	GradSq     float64 `json:"si_grad_sq"`
	GradSqUnit float64 `json:"si_grad_sq_unit"`
	// W4 is E||w||^4.
	W4 float64 `json:"si_norm4"`
	// EllPrime2 is the mean over the steps' batches of the mean
	// ||softmax - onehot||^2 (train-mode logits of the step).
	EllPrime2 float64 `json:"ell_prime2"`
	// EllRatio is EllPrime2 / (wd / lr).
	EllRatio float64 `json:"ell_prime2_over_wd_lr"`
	// TrainCE is the mean mini-batch CE; EvalTrainCE and EvalTrainErr are
	// the eval-mode CE and error on the whole training subset at the end.
	TrainCE      float64 `json:"train_batch_ce"`
	EvalTrainCE  float64 `json:"train_ce"`
	EvalTrainErr float64 `json:"train_err"`
	WallS        float64 `json:"wall_s"`
	// Laws holds this cell's comparisons with the theory by law name.
	Laws map[string]Law `json:"laws"`
}

// moments accumulates per-step sums.
type moments struct {
	n                                         int
	wn, w2, w4, g2, g2w2, ang, ang2, ell2, ce float64
}

func (a *moments) add(w2, g2, ang, ell2, ce float64) {
	a.n++
	a.wn += math.Sqrt(w2)
	a.w2 += w2
	a.w4 += w2 * w2
	a.g2 += g2
	a.g2w2 += g2 * w2
	a.ang += ang
	a.ang2 += ang * ang
	a.ell2 += ell2
	a.ce += ce
}

// mean returns sum / n.
func (a *moments) mean(sum float64) float64 { return sum / float64(a.n) }

// runCell trains one cell from the seeded initialisation on the shared
// training loop (evaluation points at each epoch's end and the last step;
// no checkpoints) and returns its measurement and per-epoch metric lines.
// It stops with ctx's error at the start of an epoch once ctx is done.
func runCell(ctx context.Context, p Plan, spec CellSpec, desc nn.Desc, d *data.Dataset) (Cell, []map[string]float64, error) {
	start := time.Now()
	m, err := nn.Build(desc)
	if err != nil {
		return Cell{}, nil, err
	}
	m.Init(p.Seed)
	b := p.Batch
	cr := &cellRun{ctx: ctx, seed: p.Seed, spec: spec, m: m, params: m.Params(), d: d, batch: b, perEpoch: data.NumBatches(d.N, b),
		x: nn.NewTensor(b, d.H, d.W, d.C), y: make([]int32, b)}
	cr.prev = optim.SnapshotParams(cr.params, train.IsScaleInv)
	loop := train.Loop{Name: spec.Name, Budget: train.Budget{Steps: spec.Steps, Unit: cr.perEpoch, EvalEvery: 1}}
	s, lines, err := loop.Run(cr)
	if err != nil {
		return Cell{}, nil, err
	}
	c := Cell{Name: spec.Name, LR: spec.LR, WD: spec.WD, Product: spec.LR * spec.WD, Steps: spec.Steps, Window: spec.Window,
		Diverged: s.Status == runio.StatusDiverged}
	if win := cr.win; !c.Diverged && win.n > 0 {
		c.SINorm = win.mean(win.wn)
		c.EffLR = spec.LR / win.mean(win.w2)
		c.AngleMean, c.AngleRMS = win.mean(win.ang), math.Sqrt(win.mean(win.ang2))
		c.GradSq, c.GradSqUnit, c.W4 = win.mean(win.g2), win.mean(win.g2w2), win.mean(win.w4)
		c.EllPrime2, c.TrainCE = win.mean(win.ell2), win.mean(win.ce)
		c.EllRatio = c.EllPrime2 / (spec.WD / spec.LR)
		ev := train.Evaluate(m, d, 1000)
		c.EvalTrainCE, c.EvalTrainErr = ev.CE, ev.Err
	}
	c.WallS = time.Since(start).Seconds()
	return c, lines, nil
}

// cellRun is one cell as the shared training loop drives it: plain SGD at
// a constant (lr, wd), the per-step moments of the epoch (reported at each
// epoch's end) and of the stationary window (the last spec.Window steps).
type cellRun struct {
	ctx             context.Context
	seed            uint64
	spec            CellSpec
	m               *nn.Model
	params          []*nn.Param
	opt             optim.SGD
	d               *data.Dataset
	batch, perEpoch int
	x               *nn.Tensor
	y               []int32
	dl              *nn.Tensor
	order           []int
	prev            [][]float32 // the scale-invariant group before the step
	win, ep         moments
}

// Restore implements train.Regime: cells are not resumed.
func (c *cellRun) Restore() (train.Position, bool, error) { return train.Position{}, false, nil }

// Begin implements train.Regime.
func (c *cellRun) Begin() error { return nil }

// End implements train.Regime.
func (c *cellRun) End() {}

// Step implements train.Regime: batch t%perEpoch of the epoch's order,
// measuring the noise, norms and angle of the step.
func (c *cellRun) Step(t int) (float64, bool, error) {
	epoch, s, b := t/c.perEpoch+1, t%c.perEpoch, c.batch
	if s == 0 {
		if err := c.ctx.Err(); err != nil {
			return 0, false, err
		}
		c.order = data.EpochOrder(c.d.N, c.seed, epoch)
	}
	c.d.Gather(c.order[s*b:(s+1)*b], c.x.Data, c.y)
	c.m.ZeroGrad()
	logits := c.m.Forward(c.x, nn.Train)
	var noise probe.Noise
	noise.Add(logits, c.y)
	var ce float64
	ce, _, c.dl = nn.SoftmaxCE(logits, c.y, c.dl)
	if math.IsNaN(ce) || math.IsInf(ce, 0) {
		return ce, false, nil
	}
	c.m.Backward(c.dl)
	g2, w2 := siSquares(c.params)
	c.opt.Step(c.params, c.spec.LR, c.spec.WD)
	cur := optim.SnapshotParams(c.params, train.IsScaleInv)
	ang := optim.AngularUpdate(c.prev, cur)
	c.prev = cur
	c.ep.add(w2, g2, ang, noise.MeanEllPrime2(), ce)
	if t >= c.spec.Steps-c.spec.Window {
		c.win.add(w2, g2, ang, noise.MeanEllPrime2(), ce)
	}
	return ce, true, nil
}

// Measure implements train.Regime: the epoch's means.
func (c *cellRun) Measure(pos train.Position) (map[string]float64, error) {
	ep, lr := c.ep, c.spec.LR
	c.ep = moments{}
	return map[string]float64{
		"epoch": float64((pos.Step-1)/c.perEpoch + 1), "step": float64(pos.Step), "lr": lr, "wd": c.spec.WD,
		"train_batch_ce": ep.mean(ep.ce), "si_param_norm": ep.mean(ep.wn),
		"angular_update": ep.mean(ep.ang), "eff_lr": lr / ep.mean(ep.w2),
		"ell_prime2": ep.mean(ep.ell2), "si_grad_norm": math.Sqrt(ep.mean(ep.g2)),
	}, nil
}

// Diverged implements train.Regime: no line.
func (c *cellRun) Diverged(train.Position, float64) map[string]float64 { return nil }

// Save implements train.Regime: cells keep no checkpoints.
func (c *cellRun) Save(train.Position) error { return nil }

// Line implements train.Regime: cells log a line when done, not per epoch.
func (c *cellRun) Line(map[string]float64) string { return "" }

// siSquares returns ||g||^2 and ||w||^2 of the scale-invariant group.
func siSquares(params []*nn.Param) (g2, w2 float64) {
	for _, p := range params {
		if !train.IsScaleInv(p) {
			continue
		}
		for i, w := range p.W {
			g := float64(p.G[i])
			g2 += g * g
			w2 += float64(w) * float64(w)
		}
	}
	return g2, w2
}
