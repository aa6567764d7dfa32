package xla

import (
	"fmt"
	"math"

	"github.com/gomlx/gomlx/core/graph"
	"wdlab/internal/nn"
	"wdlab/internal/optim"
)

// GPTOptions configure a GPTExecutor.
type GPTOptions struct {
	// Backend is as in Config.Backend.
	Backend string
	// Optimizer is an *optim.AdamW or *optim.SGD (nil = plain SGD); its
	// hyper-parameters and state seed the in-graph optimizer. The WD mask
	// is the parameters' Decay flags.
	Optimizer optim.Optimizer
	// EMA, when set, is updated in graph after every step.
	EMA *optim.EMA
	// BF16 runs the matmuls in bf16 with fp32 master weights (nn.GPT.BF16).
	BF16 bool
	// GradClip is the global gradient-norm clipping threshold (0 = off),
	// applied as optim.ClipGradNorm does.
	GradClip float64
}

// GPTExecutor trains an nn.GPT on a GoMLX backend: one compiled graph does
// forward, mean token cross-entropy, backward, gradient-norm clipping, the
// optimizer update and the EMA update, with every state tensor on the
// device. Not safe for concurrent use.
type GPTExecutor struct {
	store
	cfg nn.GPTConfig
	device
	opt     optSpec
	bf16    bool
	clip    float32 // +Inf when clipping is off
	emaBeta float64

	train, grads, eval  *graph.Exec
	first, accum, apply *graph.Exec // gradient accumulation (TrainStepAccum)
}

// GPTStepResult is what one GPT training step reports.
type GPTStepResult struct {
	Loss     float64 // mean token cross-entropy before the update
	GradNorm float64 // global gradient norm before clipping
	Clipped  bool
	// DecayedNorm is the L2 norm of the weight-decayed parameters after
	// the update (what the next step's effective LR divides by).
	DecayedNorm float64
}

// NewGPT builds an executor for a GPT of shape cfg starting from params
// (nn.GPT.Params(), matched by name; their Decay flags are the WD mask).
func NewGPT(cfg nn.GPTConfig, params []*nn.Param, o GPTOptions) (*GPTExecutor, error) {
	ref, err := nn.NewGPT(cfg)
	if err != nil {
		return nil, fmt.Errorf("xla: %w", err)
	}
	specs, err := specsMatching("gpt", ref.Params(), params)
	if err != nil {
		return nil, fmt.Errorf("xla: %w", err)
	}
	opt, err := optSpecFor(o.Optimizer)
	if err != nil {
		return nil, err
	}
	if !(o.GradClip >= 0) || math.IsInf(o.GradClip, 0) {
		return nil, fmt.Errorf("xla: gradient clip %v: want a finite value >= 0", o.GradClip)
	}
	e := &GPTExecutor{cfg: cfg, opt: opt, bf16: o.BF16, clip: float32(math.Inf(1))}
	if o.GradClip > 0 {
		e.clip = float32(o.GradClip)
	}
	if e.store, err = newStore(newLayout(specs, opt.kinds(), o.EMA != nil), params, o.Optimizer, o.EMA); err != nil {
		return nil, err
	}
	if o.EMA != nil {
		e.emaBeta = o.EMA.Beta
	}
	if e.device, err = openDevice(o.Backend, e.trainGraph, e.gradGraph, e.evalGraph, e.firstGraph, e.accumGraph, e.applyGraph); err != nil {
		e.freeState()
		return nil, err
	}
	x := e.execs
	e.train, e.grads, e.eval, e.first, e.accum, e.apply = x[0], x[1], x[2], x[3], x[4], x[5]
	return e, nil
}

// Close releases the executor's tensors, compiled graphs and backend.
func (e *GPTExecutor) Close() {
	e.freeState()
	e.device.close()
}
