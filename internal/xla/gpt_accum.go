package xla

import (
	"fmt"

	. "github.com/gomlx/gomlx/core/graph" //nolint:revive // graph-building code reads best unqualified
	"github.com/gomlx/gomlx/core/tensors"
)

// TrainStepAccum is one optimizer step over k micro-batches of micro
// sequences of t tokens each (ids and targets hold k*micro*t tokens,
// micro-batch after micro-batch), accumulating the gradients on the device
// as nn's gradient accumulation does (each micro-batch's gradient scaled by
// 1/k), so only one micro-batch's activations are alive at a time. The
// reported loss is the mean of the micro-batch losses. k <= 1 is TrainStep.
func (e *GPTExecutor) TrainStepAccum(ids, targets []int32, micro, t, k int, lr, wd float64) (GPTStepResult, error) {
	if k <= 1 {
		return e.TrainStep(ids, targets, micro, t, lr, wd)
	}
	n := micro * t
	if len(ids) < k*n || len(targets) < k*n {
		return GPTStepResult{}, fmt.Errorf("xla: %d micro-batches of %d x %d tokens need %d ids and targets, got %d and %d", k, micro, t, k*n, len(ids), len(targets))
	}
	nt := len(e.lay.trainable)
	var acc []*tensors.Tensor
	defer func() { free(acc...) }() // only what an error left behind
	scale := float32(1 / float64(k))
	var lossSum float64
	for i := range k {
		it, tt, err := e.tokens(ids[i*n:(i+1)*n], targets[i*n:(i+1)*n], micro, t)
		if err != nil {
			return GPTStepResult{}, err
		}
		args, exec := e.paramArgs(), e.first
		if i > 0 {
			exec = e.accum
			donated, err := donateArgs(e.backend, acc, nil)
			if err != nil {
				free(it, tt)
				return GPTStepResult{}, fmt.Errorf("xla: gradient accumulation: %w", err)
			}
			args = append(args, donated...)
		}
		outs, err := exec.Call(append(args, it, tt, scale)...)
		free(it, tt)
		if i > 0 {
			free(acc...) // their buffers were donated to the call
		}
		acc = nil
		if err != nil {
			return GPTStepResult{}, fmt.Errorf("xla: gradient accumulation: %w", err)
		}
		acc = outs[:nt]
		l, err := scalarOut(outs[nt])
		if err != nil {
			return GPTStepResult{}, err
		}
		lossSum += l
	}
	args, err := e.stepArgs(e.backend)
	if err != nil {
		return GPTStepResult{}, fmt.Errorf("xla: GPT train step: %w", err)
	}
	donated, err := donateArgs(e.backend, acc, nil)
	if err != nil {
		return GPTStepResult{}, fmt.Errorf("xla: GPT train step: %w", err)
	}
	args = append(args, donated...)
	args = append(args, e.opt.scalarsFor(lr, wd, e.steps+1).values()...)
	outs, err := e.apply.Call(append(args, e.clip)...)
	free(acc...)
	acc = nil
	if err != nil {
		return GPTStepResult{}, fmt.Errorf("xla: GPT train step: %w", err)
	}
	r, err := e.stepResult(e.adopt(outs))
	r.Loss = lossSum / float64(k)
	return r, err
}

// firstGraph starts an accumulation: the first micro-batch's gradients
// times 1/k, and its loss.
func (e *GPTExecutor) firstGraph(in []*Node) []*Node {
	np := len(e.lay.specs)
	loss, _ := lmLoss(e.net(in).logits(in[np]), in[np+1])
	grads := Gradient(loss, trainableNodes(e.lay, in)...)
	for j := range grads {
		grads[j] = Mul(grads[j], in[np+2])
	}
	return append(grads, loss)
}

// accumGraph adds a micro-batch's gradients times 1/k to the accumulator.
func (e *GPTExecutor) accumGraph(in []*Node) []*Node {
	np, nt := len(e.lay.specs), len(e.lay.trainable)
	acc := in[np : np+nt]
	loss, _ := lmLoss(e.net(in).logits(in[np+nt]), in[np+nt+1])
	grads := Gradient(loss, trainableNodes(e.lay, in)...)
	out := make([]*Node, nt, nt+1)
	for j, g := range grads {
		out[j] = Add(acc[j], Mul(g, in[np+nt+2]))
	}
	return append(out, loss)
}

// applyGraph clips the accumulated gradients and updates the state.
func (e *GPTExecutor) applyGraph(in []*Node) []*Node {
	ns, nt := e.lay.size(), len(e.lay.trainable)
	return e.clipAndUpdate(in, in[ns:ns+nt], in[ns+nt:])
}
