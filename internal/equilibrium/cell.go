package equilibrium

import (
	"context"
	"math"
	"time"

	"wdlab/internal/data"
	"wdlab/internal/nn"
	"wdlab/internal/optim"
	"wdlab/internal/probe"
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

// runCell trains one cell from the seeded initialisation and returns its
// measurement and per-epoch metric lines.
// It stops with ctx's error at the start of an epoch once ctx is done.
func runCell(ctx context.Context, p Plan, spec CellSpec, desc nn.Desc, d *data.Dataset) (Cell, []map[string]float64, error) {
	start := time.Now()
	m, err := nn.Build(desc)
	if err != nil {
		return Cell{}, nil, err
	}
	m.Init(p.Seed)
	params := m.Params()
	opt := &optim.SGD{}
	b := p.Batch
	spe := data.NumBatches(d.N, b)
	x, y := nn.NewTensor(b, d.H, d.W, d.C), make([]int32, b)
	var dl *nn.Tensor
	var order []int
	prev := optim.SnapshotParams(params, train.IsScaleInv)
	var win, ep moments
	var lines []map[string]float64
	c := Cell{Name: spec.Name, LR: spec.LR, WD: spec.WD, Product: spec.LR * spec.WD, Steps: spec.Steps, Window: spec.Window}
	for step := range spec.Steps {
		epoch, s := step/spe+1, step%spe
		if s == 0 {
			if err := ctx.Err(); err != nil {
				return Cell{}, nil, err
			}
			order = data.EpochOrder(d.N, p.Seed, epoch)
		}
		d.Gather(order[s*b:(s+1)*b], x.Data, y)
		m.ZeroGrad()
		logits := m.Forward(x, nn.Train)
		var noise probe.Noise
		noise.Add(logits, y)
		var ce float64
		ce, _, dl = nn.SoftmaxCE(logits, y, dl)
		if math.IsNaN(ce) || math.IsInf(ce, 0) {
			c.Diverged = true
			break
		}
		m.Backward(dl)
		g2, w2 := siSquares(params)
		opt.Step(params, spec.LR, spec.WD)
		cur := optim.SnapshotParams(params, train.IsScaleInv)
		ang := optim.AngularUpdate(prev, cur)
		prev = cur
		ep.add(w2, g2, ang, noise.MeanEllPrime2(), ce)
		if step >= spec.Steps-spec.Window {
			win.add(w2, g2, ang, noise.MeanEllPrime2(), ce)
		}
		if s == spe-1 || step == spec.Steps-1 {
			lines = append(lines, map[string]float64{
				"epoch": float64(epoch), "step": float64(step + 1), "lr": spec.LR, "wd": spec.WD,
				"train_batch_ce": ep.mean(ep.ce), "si_param_norm": ep.mean(ep.wn),
				"angular_update": ep.mean(ep.ang), "eff_lr": spec.LR / ep.mean(ep.w2),
				"ell_prime2": ep.mean(ep.ell2), "si_grad_norm": math.Sqrt(ep.mean(ep.g2)),
			})
			ep = moments{}
		}
	}
	if !c.Diverged && win.n > 0 {
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
