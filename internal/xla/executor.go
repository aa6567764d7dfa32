package xla

import (
	"fmt"
	"math"

	"github.com/gomlx/gomlx/core/graph"
	"wdlab/internal/nn"
	"wdlab/internal/optim"
)

// Config selects the backend, the optimizer and the optional EMA of an
// Executor.
type Config struct {
	// Backend: "go" (pure Go, for tests), "go:<config>", or
	// "xla:/abs/path/plugin.so[,options]" (tf32=false unless given).
	Backend string
	// Optimizer is an *optim.SGD or *optim.AdamW (nil = plain SGD). Its
	// hyper-parameters and current state (momentum / Adam moments and the
	// step count, from State()) seed the in-graph optimizer; it is not
	// changed afterwards (see OptimizerState).
	Optimizer optim.Optimizer
	// EMA, when set, is kept in graph: after every TrainStep,
	// ema = beta*ema + (1-beta)*w for every non-buffer parameter, starting
	// from the EMA's current average and update count (see EMAState).
	EMA *optim.EMA
	// Conv is ConvIm2col (default) or ConvNative.
	Conv string
}

// Executor runs one model on a GoMLX backend. Its state (parameters, BN
// running statistics, optimizer slots, EMA) lives in backend tensors and
// is copied to and from native parameters only on request. An Executor
// is not safe for concurrent use.
type Executor struct {
	desc nn.Desc
	device
	opt     optSpec
	conv    string
	inDim   int // values per example
	emaBeta float64

	store
	angular float64 // angular update of the scale-invariant group in the last step
	seen    int     // examples folded into the running statistics since ResetBNStats

	train, grads, eval, stats *graph.Exec
}

// NewWithConfig builds an executor for desc whose parameters start at the
// values of params (the native model's Params(), buffers included), on the
// backend and with the optimizer (default: plain SGD) and EMA given in cfg.
func NewWithConfig(desc nn.Desc, params []*nn.Param, cfg Config) (*Executor, error) {
	specs, err := specsFor(desc, params)
	if err != nil {
		return nil, fmt.Errorf("xla: %w", err)
	}
	opt, err := optSpecFor(cfg.Optimizer)
	if err != nil {
		return nil, err
	}
	conv := cfg.Conv
	if conv == "" {
		conv = ConvIm2col
	}
	if conv != ConvIm2col && conv != ConvNative {
		return nil, fmt.Errorf("xla: conv mode %q: want %q or %q", conv, ConvIm2col, ConvNative)
	}
	e := &Executor{desc: desc, opt: opt, conv: conv, inDim: 1, angular: math.NaN()}
	for _, d := range desc.Input {
		e.inDim *= d
	}
	if e.store, err = newStore(newLayout(specs, opt.kinds(), cfg.EMA != nil), params, cfg.Optimizer, cfg.EMA); err != nil {
		return nil, err
	}
	if cfg.EMA != nil {
		e.emaBeta = cfg.EMA.Beta
	}
	if e.device, err = openDevice(cfg.Backend, e.trainGraph, e.gradGraph, e.evalGraph, e.statsGraph); err != nil {
		e.freeState()
		return nil, err
	}
	e.train, e.grads, e.eval, e.stats = e.execs[0], e.execs[1], e.execs[2], e.execs[3]
	return e, nil
}

// Close releases the executor's tensors, compiled graphs and backend.
func (e *Executor) Close() {
	e.freeState()
	e.device.close()
}

// AngularUpdate returns the angle (radians) between the scale-invariant
// parameter group before and after the last TrainStep, as
// optim.AngularUpdate measures it; NaN before the first step, when the
// model has no scale-invariant parameters, or when the group is zero.
func (e *Executor) AngularUpdate() float64 { return e.angular }
