package train

import (
	"wdlab/internal/config"
	"wdlab/internal/nn"
)

// Accelerator runs the optimizer steps of a run, vision or LM, on another
// executor (config.executor), while whatever needs the weights
// (evaluations, probes, norms, checkpoints) reads the native model after
// Pull. An accelerator that also implements Evaluator runs the LM's
// evaluations.
type Accelerator interface {
	// Step runs one optimizer step on b with (lr, wd).
	Step(b Batch, lr, wd float64) (StepResult, error)
	// Pull copies parameters (BN statistics included), optimizer and EMA
	// state into s.
	Pull(s State) error
	// Push copies s's parameters into the executor after the native side
	// changed them (sphere projection).
	Push(s State) error
	Close()
}

// Evaluator is an Accelerator that evaluates LM batches itself: Eval
// returns the mean token loss and the wrong arg-max count of the iterate,
// or of the EMA when ema is set, on b (one micro-batch, K = 1).
type Evaluator interface {
	Eval(b Batch, ema bool) (loss float64, wrong int, err error)
}

// Forwarder is an Accelerator that also runs a vision model's forward
// pass (evaluation of the iterate and the EMA model, BN recalibration);
// m is the run's model or its EMA copy, whose parameters live natively.
type Forwarder interface {
	Forward(m *nn.Model, x *nn.Tensor, mode nn.Mode) (*nn.Tensor, error)
}

// Batch is one optimizer step's data. Vision: N images in X (N*H*W*C,
// NHWC) with their labels in Y. LM: K micro-batches of N sequences of T
// tokens, token ids in IDs and next tokens in Y (K*N*T each), whose
// gradients the step accumulates.
type Batch struct {
	X       []float32
	IDs     []int32
	Y       []int32
	N, T, K int
}

// StepResult is what one accelerated optimizer step reports.
type StepResult struct {
	Loss float64
	// Angle is the scale-invariant group's angular update (vision).
	Angle float64
	// GradNorm is the pre-clip gradient norm, Clipped whether it was
	// clipped and DecayedNorm the weight-decayed group's norm after the
	// update (LM).
	GradNorm    float64
	Clipped     bool
	DecayedNorm float64
}

// AccelSpec is what an accelerator is built from: the run's config, its
// model (a vision description or a GPT configuration) and its native
// state, from which the executor starts.
type AccelSpec struct {
	Cfg  config.Config
	Desc *nn.Desc // vision
	// Model is the native vision model whose parameters State holds, for
	// executors that compute into it (oneDNN).
	Model *nn.Model
	GPT   *nn.GPTConfig // LM
	State State
}

// mirror is a run's accelerator (nil: the native engine trains) and
// whether the accelerator's state is ahead of the native model's.
type mirror struct {
	Acc   Accelerator
	stale bool
}

// stepped records that a step ran.
func (m *mirror) stepped() { m.stale = m.Acc != nil }

// sync pulls the accelerator's state into s when it is ahead.
func (m *mirror) sync(s State) error {
	if !m.stale {
		return nil
	}
	m.stale = false
	return m.Acc.Pull(s)
}

// close releases the accelerator.
func (m *mirror) close() {
	if m.Acc != nil {
		m.Acc.Close()
	}
}
