package xla

import (
	"fmt"
	"math"
	"strings"

	"github.com/gomlx/gomlx/core/tensors"
	"wdlab/internal/nn"
)

// TrainStep runs one training step on the n examples in x (n*prod(Input)
// values, row-major as the native engine's tensors) with labels y: forward
// with batch statistics, mean softmax cross-entropy, backward, BN
// running-statistic update (momentum 0.1), the optimizer update with
// (lr, wd) and the EMA update. It returns the mini-batch loss computed
// before the update. After an error the executor's state is undefined.
func (e *Executor) TrainStep(x []float32, y []int32, n int, lr, wd float64) (float64, error) {
	xt, yt, err := e.batch(x, y, n)
	if err != nil {
		return 0, err
	}
	defer free(xt, yt)
	args, err := e.stepArgs(e.backend)
	if err != nil {
		return 0, fmt.Errorf("xla: train step: %w", err)
	}
	args = append(args, xt, yt)
	args = append(args, e.opt.scalarsFor(lr, wd, e.steps+1).values()...)
	outs, err := e.train.Call(args...)
	if err != nil {
		return 0, fmt.Errorf("xla: train step: %w", err)
	}
	rest := e.adopt(outs)
	loss, err := scalarOut(rest[0])
	e.angular = math.NaN()
	if len(e.lay.scaleInv) > 0 {
		c, cerr := scalarOut(rest[1])
		if cerr != nil {
			return 0, cerr
		}
		e.angular = 2 * math.Asin(min(1, c/2))
	}
	return loss, err
}

// Gradients returns the mean cross-entropy of the batch in train mode
// (batch statistics) and its gradient for every non-buffer parameter, by
// name, without changing any state. It exists to cross-check executors.
func (e *Executor) Gradients(x []float32, y []int32, n int) (float64, map[string][]float32, error) {
	xt, yt, err := e.batch(x, y, n)
	if err != nil {
		return 0, nil, err
	}
	defer free(xt, yt)
	args := e.paramArgs()
	outs, err := e.grads.Call(append(args, xt, yt)...)
	if err != nil {
		return 0, nil, fmt.Errorf("xla: gradients: %w", err)
	}
	defer free(outs...)
	loss, err := scalarOut(outs[0])
	if err != nil {
		return 0, nil, err
	}
	g := make(map[string][]float32, len(e.lay.weights))
	for j, i := range e.lay.weights {
		v, err := tensors.CopyFlatData[float32](outs[1+j])
		if err != nil {
			return 0, nil, fmt.Errorf("xla: gradients: %w", err)
		}
		g[e.lay.specs[i].name] = v
	}
	return loss, g, nil
}

// Forward returns the logits [n, classes] (row-major) for x: with BN
// running statistics when eval, otherwise with batch statistics and a
// running-statistic update (momentum 0.1), as the native Train mode does.
func (e *Executor) Forward(x []float32, n int, eval bool) ([]float32, error) {
	if eval {
		return e.ForwardMode(x, n, nn.Eval)
	}
	return e.ForwardMode(x, n, nn.Train)
}

// ForwardMode is Forward with a native mode: Eval, Train, or Recalibrate
// (batch statistics; running statistics become the exact sample-weighted
// average of the batches seen since ResetBNStats, like nn.Recalibrate).
func (e *Executor) ForwardMode(x []float32, n int, mode nn.Mode) ([]float32, error) {
	if len(x) < n*e.inDim || n <= 0 {
		return nil, fmt.Errorf("xla: forward: %d values for %d examples of %d", len(x), n, e.inDim)
	}
	xt := tensors.FromFlatDataAndDimensions(append([]float32(nil), x[:n*e.inDim]...), append([]int{n}, e.desc.Input...)...)
	defer free(xt)
	if mode == nn.Eval {
		out, err := e.eval.Call(append(e.paramArgs(), xt)...)
		if err != nil {
			return nil, fmt.Errorf("xla: forward: %w", err)
		}
		defer free(out...)
		return tensors.CopyFlatData[float32](out[0])
	}
	m := float32(nativeBNMomentum)
	if mode == nn.Recalibrate {
		m = float32(float64(n) / float64(e.seen+n))
		e.seen += n
	}
	args, err := donateArgs(e.backend, e.state[:len(e.lay.specs)], func(i int) bool { return e.lay.specs[i].buffer })
	if err != nil {
		return nil, fmt.Errorf("xla: forward: %w", err)
	}
	outs, err := e.stats.Call(append(args, xt, m)...)
	if err != nil {
		return nil, fmt.Errorf("xla: forward: %w", err)
	}
	k := 1
	for i, s := range e.lay.specs {
		if s.buffer {
			_ = e.state[i].FinalizeAll()
			e.state[i] = outs[k]
			k++
		}
	}
	defer free(outs[0])
	return tensors.CopyFlatData[float32](outs[0])
}

// ResetBNStats sets every BN running mean to 0 and variance to 1 and
// restarts the Recalibrate average (nn.BatchNorm.ResetStats).
func (e *Executor) ResetBNStats() {
	for i, s := range e.lay.specs {
		if !s.buffer {
			continue
		}
		v := make([]float32, s.size)
		if strings.HasSuffix(s.name, ".running_var") {
			for j := range v {
				v[j] = 1
			}
		}
		e.set(i, v)
	}
	e.seen = 0
}

// batch checks a mini-batch and wraps it in host tensors.
func (e *Executor) batch(x []float32, y []int32, n int) (*tensors.Tensor, *tensors.Tensor, error) {
	if n <= 0 || len(x) < n*e.inDim || len(y) < n {
		return nil, nil, fmt.Errorf("xla: batch of %d examples needs %d inputs and %d labels, got %d and %d", n, n*e.inDim, n, len(x), len(y))
	}
	for i, c := range y[:n] {
		if c < 0 || int(c) >= e.desc.Classes {
			return nil, nil, fmt.Errorf("xla: label %d of example %d outside [0, %d)", c, i, e.desc.Classes)
		}
	}
	xt := tensors.FromFlatDataAndDimensions(append([]float32(nil), x[:n*e.inDim]...), append([]int{n}, e.desc.Input...)...)
	yt := tensors.FromFlatDataAndDimensions(append([]int32(nil), y[:n]...), n)
	return xt, yt, nil
}

// scalarOut reads a float32 scalar output and frees it.
func scalarOut(t *tensors.Tensor) (float64, error) {
	defer free(t)
	v, err := tensors.CopyFlatData[float32](t)
	if err != nil {
		return math.NaN(), fmt.Errorf("xla: reading loss: %w", err)
	}
	return float64(v[0]), nil
}

// free releases tensors.
func free(ts ...*tensors.Tensor) {
	for _, t := range ts {
		_ = t.FinalizeAll()
	}
}
