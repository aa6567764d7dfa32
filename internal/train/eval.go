package train

import (
	"wdlab/internal/data"
	"wdlab/internal/nn"
)

// EvalResult is the mean cross-entropy and error rate over a dataset.
type EvalResult struct{ CE, Err float64 }

// Forward runs a model's forward pass in a mode: the native engine's
// (NativeForward) or an executor's.
type Forward func(m *nn.Model, x *nn.Tensor, mode nn.Mode) (*nn.Tensor, error)

// NativeForward is m.Forward.
func NativeForward(m *nn.Model, x *nn.Tensor, mode nn.Mode) (*nn.Tensor, error) {
	return m.Forward(x, mode), nil
}

// Evaluate runs the model in eval mode over all of d (no example dropped)
// on the native engine.
func Evaluate(m *nn.Model, d *data.Dataset, batch int) EvalResult {
	r, _ := EvaluateWith(NativeForward, m, d, batch)
	return r
}

// EvaluateWith is Evaluate with the forward passes of fwd.
func EvaluateWith(fwd Forward, m *nn.Model, d *data.Dataset, batch int) (EvalResult, error) {
	dim := d.Dim()
	x := nn.NewTensor(batch, d.H, d.W, d.C)
	y := make([]int32, batch)
	idx := make([]int, batch)
	var ce float64
	var nErr int
	var g *nn.Tensor
	for _, r := range data.EvalBatches(d.N, batch) {
		n := r[1] - r[0]
		for i := range n {
			idx[i] = r[0] + i
		}
		xb := &nn.Tensor{Shape: []int{n, d.H, d.W, d.C}, Data: x.Data[:n*dim]}
		d.Gather(idx[:n], xb.Data, y[:n])
		out, err := fwd(m, xb, nn.Eval)
		if err != nil {
			return EvalResult{}, err
		}
		var l float64
		var e int
		l, e, g = nn.SoftmaxCE(out, y[:n], g)
		ce += l * float64(n)
		nErr += e
	}
	return EvalResult{CE: ce / float64(d.N), Err: float64(nErr) / float64(d.N)}, nil
}

// RecalibrateBN recomputes every BN layer's running statistics as exact
// averages over one pass of the given training batches (the authors' code
// does this for the EMA model), on the native engine.
func RecalibrateBN(m *nn.Model, d *data.Dataset, order []int, batch int) {
	_ = RecalibrateBNWith(NativeForward, m, d, order, batch) // the native forward never fails
}

// RecalibrateBNWith is RecalibrateBN with the forward passes of fwd.
func RecalibrateBNWith(fwd Forward, m *nn.Model, d *data.Dataset, order []int, batch int) error {
	bns := m.BatchNorms()
	if len(bns) == 0 {
		return nil
	}
	for _, b := range bns {
		b.ResetStats()
	}
	x := nn.NewTensor(batch, d.H, d.W, d.C)
	y := make([]int32, batch)
	for s := range data.NumBatches(len(order), batch) {
		d.Gather(order[s*batch:(s+1)*batch], x.Data, y)
		if _, err := fwd(m, x, nn.Recalibrate); err != nil {
			return err
		}
	}
	return nil
}
