package probe

import (
	"fmt"
	"math"
	"math/rand/v2"
	"path/filepath"
	"time"

	"wdlab/internal/config"
	"wdlab/internal/data"
	"wdlab/internal/nn"
	"wdlab/internal/optim"
	"wdlab/internal/train"
)

// Hook runs the instruments a run's probe.* config switches on, at the end
// of each epoch: fine-tuning copy first (so the other instruments can also
// measure it), then noise scale, Jacobian norms, Hessian traces and the
// snapshot ensemble.
type Hook struct {
	cfg      config.Probe
	jacSet   *data.Dataset // class-balanced train subset for the Jacobian
	hessSet  *data.Dataset // class-balanced train subset for the Hessian
	noise    *noiseWindow  // averaging window of the noise scale (nil when off)
	ens      *Ensemble
	prepared bool
}

// NewHook is the train.HookFactory of this package: it returns nil when
// every probe interval is 0 and ens_snapshots is 0.
func NewHook(r *train.Runner) train.Hook {
	p := r.Cfg.Probe
	if p.JacEvery == 0 && p.HessEvery == 0 && p.NoiseEvery == 0 && p.FTEvery == 0 && p.EnsSnapshots == 0 {
		return nil
	}
	return &Hook{cfg: p}
}

// Random streams of the instruments (mixed with the run's seed and epoch).
const (
	streamHessIterate = iota + 1
	streamHessFT
	streamJacIterate
	streamJacEMA
	streamJacFT
)

// rngFor returns the PCG stream of one instrument at one epoch.
func rngFor(seed uint64, epoch, stream int) *rand.Rand {
	return rand.New(rand.NewPCG(seed^0x70726f6265, uint64(epoch)<<8|uint64(stream)))
}

// due reports whether an instrument with interval every runs at epoch.
func due(every, epoch int) bool { return every > 0 && epoch%every == 0 }

// AfterEpoch measures what is due at this epoch and adds it to metrics.
func (h *Hook) AfterEpoch(r *train.Runner, epoch int, metrics map[string]float64) error {
	start := time.Now()
	if err := h.prepare(r); err != nil {
		return err
	}
	p, eb, seed := h.cfg, r.Cfg.Train.EvalBatchSize, r.Cfg.Seed
	var ft *nn.Model
	if due(p.FTEvery, epoch) {
		var err error
		if ft, err = FineTune(r, epoch); err != nil {
			return fmt.Errorf("probe: fine-tuning: %w", err)
		}
		tr, te := train.Evaluate(ft, r.Train, eb), train.Evaluate(ft, r.Test, eb)
		metrics["ft_train_ce"], metrics["ft_train_err"] = tr.CE, tr.Err
		metrics["ft_test_ce"], metrics["ft_test_err"] = te.CE, te.Err
		metrics["ft_param_norm"] = optim.ParamNorm(ft.Params(), train.IsWeight)
	}
	if inWindow := h.noise != nil && h.noise.contains(epoch); inWindow || due(p.NoiseEvery, epoch) {
		s := NoiseScale(r.Model, r.Train, eb)
		metrics["noise_scale"] = s.MeanEllPrime2()
		metrics["noise_scale_sqrt"] = math.Sqrt(s.MeanEllPrime2())
		metrics["one_minus_py"] = s.MeanOneMinusPy()
		if inWindow {
			h.noise.add(s.MeanEllPrime2(), s.MeanOneMinusPy())
			h.noise.log(metrics)
		}
	}
	if due(p.JacEvery, epoch) {
		metrics["jac_norm"] = MeanJacobianNorm(r.Model, h.jacSet, rngFor(seed, epoch, streamJacIterate))
		if r.EMAModel != nil {
			metrics["ema_jac_norm"] = MeanJacobianNorm(r.EMAModel, h.jacSet, rngFor(seed, epoch, streamJacEMA))
		}
		if ft != nil {
			metrics["ft_jac_norm"] = MeanJacobianNorm(ft, h.jacSet, rngFor(seed, epoch, streamJacFT))
		}
	}
	if due(p.HessEvery, epoch) {
		var err error
		if metrics["hess_trace"], _, err = HessianTrace(r.Model, h.hessSet, HessBatch, p.HessProbes, rngFor(seed, epoch, streamHessIterate)); err != nil {
			return fmt.Errorf("probe: Hessian trace: %w", err)
		}
		if ft != nil {
			if metrics["ft_hess_trace"], _, err = HessianTrace(ft, h.hessSet, HessBatch, p.HessProbes, rngFor(seed, epoch, streamHessFT)); err != nil {
				return fmt.Errorf("probe: Hessian trace of the fine-tuned copy: %w", err)
			}
		}
	}
	if h.ens != nil && epoch >= p.EnsFrom {
		ens, n, err := h.ens.Add(r.Model, r.Test, epoch)
		if err != nil {
			return err
		}
		metrics["ens_size"] = float64(n)
		metrics["ens_test_err"] = ens.ErrorRate(r.Test.Y)
		metrics["ens_test_ce"] = ens.CE(r.Test.Y)
		if r.EMAModel != nil {
			metrics["ens_ema_tvd"] = MeanTVD(ens, Softmax(r.EMAModel, r.Test, eb))
		}
	}
	metrics["probe_s"] = time.Since(start).Seconds()
	return nil
}

// prepare validates the probe config and builds the subsets once.
func (h *Hook) prepare(r *train.Runner) error {
	if h.prepared {
		return nil
	}
	p := h.cfg
	bad := func(format string, a ...any) error { return config.Inputf(format, a...) }
	switch {
	case p.JacEvery < 0 || p.HessEvery < 0 || p.NoiseEvery < 0 || p.FTEvery < 0 || p.EnsSnapshots < 0 || p.EnsFrom < 0:
		return bad("probe: jac_every, hess_every, noise_every, ft_every, ens_snapshots and ens_from must be >= 0")
	case p.JacEvery > 0 && p.JacPerClass <= 0:
		return bad("probe.jac_per_class = %d: must be > 0 when probe.jac_every > 0", p.JacPerClass)
	case p.HessEvery > 0 && (p.HessPerClass <= 0 || p.HessProbes <= 0):
		return bad("probe.hess_per_class = %d, probe.hess_probes = %d: both must be > 0 when probe.hess_every > 0", p.HessPerClass, p.HessProbes)
	case p.FTEvery > 0 && (p.FTEpochs <= 0 || !(p.FTLR > 0) || math.IsInf(p.FTLR, 0)):
		return bad("probe.ft_epochs = %d, probe.ft_lr = %v: both must be > 0 when probe.ft_every > 0", p.FTEpochs, p.FTLR)
	case p.NoiseEvery > 0 && p.NoiseAvgEpochs <= 0:
		return bad("probe.noise_avg_epochs = %d: must be > 0 when probe.noise_every > 0", p.NoiseAvgEpochs)
	case p.FTEvery > 0 && p.FTEpochs >= ftOrderStride:
		return bad("probe.ft_epochs = %d: must be < %d", p.FTEpochs, ftOrderStride)
	}
	var err error
	if p.JacEvery > 0 {
		if h.jacSet, err = r.Train.BalancedSubset(p.JacPerClass); err != nil {
			return bad("probe.jac_per_class: %v", err)
		}
	}
	if p.HessEvery > 0 {
		if h.hessSet, err = r.Train.BalancedSubset(p.HessPerClass); err != nil {
			return bad("probe.hess_per_class: %v", err)
		}
	}
	if p.NoiseEvery > 0 {
		h.noise = newNoiseWindow(r, p.NoiseAvgEpochs)
		if err := h.noise.resume(r.Dir); err != nil {
			return fmt.Errorf("probe: noise scale window: %w", err)
		}
	}
	if p.EnsSnapshots > 0 {
		h.ens = &Ensemble{Size: p.EnsSnapshots, From: p.EnsFrom, Batch: r.Cfg.Train.EvalBatchSize}
		if r.Dir != "" {
			h.ens.Dir = filepath.Join(r.Dir, SnapshotDir)
		}
	}
	h.prepared = true
	return nil
}
