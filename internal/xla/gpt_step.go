package xla

import (
	"fmt"

	"github.com/gomlx/gomlx/core/tensors"
)

// TrainStep runs one optimizer step on b sequences of t tokens (ids and
// their next-token targets, b*t each, row-major): forward, mean token
// cross-entropy, backward, clipping, the update with (lr, wd) and the EMA
// update. Gradient accumulation over k micro-batches of equal size is the
// same step on their concatenation (b = k x micro-batch). After an error
// the executor's state is undefined.
func (e *GPTExecutor) TrainStep(ids, targets []int32, b, t int, lr, wd float64) (GPTStepResult, error) {
	var r GPTStepResult
	it, tt, err := e.tokens(ids, targets, b, t)
	if err != nil {
		return r, err
	}
	defer free(it, tt)
	args, err := e.stepArgs(e.backend)
	if err != nil {
		return r, fmt.Errorf("xla: GPT train step: %w", err)
	}
	args = append(args, it, tt)
	args = append(args, e.opt.scalarsFor(lr, wd, e.steps+1).values()...)
	outs, err := e.train.Call(append(args, e.clip)...)
	if err != nil {
		return r, fmt.Errorf("xla: GPT train step: %w", err)
	}
	rest := e.adopt(outs)
	r, err = e.stepResult(rest[:2])
	if err == nil {
		r.Loss, err = scalarOut(rest[2])
	}
	return r, err
}

// stepResult reads the gradient norm and decayed norm outputs of a step.
func (e *GPTExecutor) stepResult(outs []*tensors.Tensor) (GPTStepResult, error) {
	var r GPTStepResult
	var err1, err2 error
	r.GradNorm, err1 = scalarOut(outs[0])
	r.DecayedNorm, err2 = scalarOut(outs[1])
	r.Clipped = r.GradNorm > float64(e.clip)
	if err1 != nil {
		return r, err1
	}
	return r, err2
}

// Gradients returns the mean token cross-entropy of the batch and its
// gradient for every trainable parameter, by name, without changing any
// state. It exists to cross-check executors.
func (e *GPTExecutor) Gradients(ids, targets []int32, b, t int) (float64, map[string][]float32, error) {
	it, tt, err := e.tokens(ids, targets, b, t)
	if err != nil {
		return 0, nil, err
	}
	defer free(it, tt)
	outs, err := e.grads.Call(append(e.paramArgs(), it, tt)...)
	if err != nil {
		return 0, nil, fmt.Errorf("xla: GPT gradients: %w", err)
	}
	defer free(outs[1:]...)
	loss, err := scalarOut(outs[0])
	if err != nil {
		return 0, nil, err
	}
	g := make(map[string][]float32, len(e.lay.trainable))
	for j, i := range e.lay.trainable {
		v, err := tensors.CopyFlatData[float32](outs[1+j])
		if err != nil {
			return 0, nil, fmt.Errorf("xla: GPT gradients: %w", err)
		}
		g[e.lay.specs[i].name] = v
	}
	return loss, g, nil
}

// EvalLoss returns the mean token cross-entropy and the number of tokens
// whose arg-max prediction is wrong, for the current weights or (ema) the
// EMA of the weights.
func (e *GPTExecutor) EvalLoss(ids, targets []int32, b, t int, ema bool) (float64, int, error) {
	it, tt, err := e.tokens(ids, targets, b, t)
	if err != nil {
		return 0, 0, err
	}
	defer free(it, tt)
	args := e.paramArgs()
	if ema {
		if !e.lay.ema {
			return 0, 0, fmt.Errorf("xla: EvalLoss: the executor keeps no EMA")
		}
		for j, i := range e.lay.weights {
			args[i] = e.state[e.lay.emaIndex(j)]
		}
	}
	outs, err := e.eval.Call(append(args, it, tt)...)
	if err != nil {
		return 0, 0, fmt.Errorf("xla: GPT eval: %w", err)
	}
	loss, err := scalarOut(outs[0])
	if err != nil {
		free(outs[1])
		return 0, 0, err
	}
	wrong, err := scalarOut(outs[1])
	return loss, int(wrong + 0.5), err
}

// tokens checks a batch of token ids and targets and wraps them in host
// tensors [b, t].
func (e *GPTExecutor) tokens(ids, targets []int32, b, t int) (*tensors.Tensor, *tensors.Tensor, error) {
	if b <= 0 || t <= 0 || t > e.cfg.Ctx || len(ids) < b*t || len(targets) < b*t {
		return nil, nil, fmt.Errorf("xla: GPT batch of %d x %d tokens (context %d) needs %d ids and targets, got %d and %d", b, t, e.cfg.Ctx, b*t, len(ids), len(targets))
	}
	for i, v := range ids[:b*t] {
		if v < 0 || int(v) >= e.cfg.Vocab {
			return nil, nil, fmt.Errorf("xla: token %d at position %d outside the vocabulary [0, %d)", v, i, e.cfg.Vocab)
		}
		if w := targets[i]; w < 0 || int(w) >= e.cfg.Vocab {
			return nil, nil, fmt.Errorf("xla: target %d at position %d outside the vocabulary [0, %d)", w, i, e.cfg.Vocab)
		}
	}
	it := tensors.FromFlatDataAndDimensions(append([]int32(nil), ids[:b*t]...), b, t)
	tt := tensors.FromFlatDataAndDimensions(append([]int32(nil), targets[:b*t]...), b, t)
	return it, tt, nil
}
