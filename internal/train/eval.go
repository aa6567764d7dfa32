package train

import (
	"wdlab/internal/data"
	"wdlab/internal/nn"
)

// EvalResult is the mean cross-entropy and error rate over a dataset.
type EvalResult struct{ CE, Err float64 }

// Evaluate runs the model in eval mode over all of d (no example dropped).
func Evaluate(m *nn.Model, d *data.Dataset, batch int) EvalResult {
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
		var l float64
		var e int
		l, e, g = nn.SoftmaxCE(m.Forward(xb, nn.Eval), y[:n], g)
		ce += l * float64(n)
		nErr += e
	}
	return EvalResult{CE: ce / float64(d.N), Err: float64(nErr) / float64(d.N)}
}

// RecalibrateBN recomputes every BN layer's running statistics as exact
// averages over one pass of the given training batches (the authors' code
// does this for the EMA model).
func RecalibrateBN(m *nn.Model, d *data.Dataset, order []int, batch int) {
	bns := m.BatchNorms()
	if len(bns) == 0 {
		return
	}
	for _, b := range bns {
		b.ResetStats()
	}
	x := nn.NewTensor(batch, d.H, d.W, d.C)
	y := make([]int32, batch)
	for s := range data.NumBatches(len(order), batch) {
		d.Gather(order[s*batch:(s+1)*batch], x.Data, y)
		m.Forward(x, nn.Recalibrate)
	}
}
