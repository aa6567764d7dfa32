package probe

import (
	"math"
	"math/rand/v2"

	"wdlab/internal/data"
	"wdlab/internal/nn"
)

// HessFDScale is the relative size of the central-difference step of
// CentralDiffHVP: eps = HessFDScale * ||w|| / ||v||.
const HessFDScale = 1e-3

// HessianTrace is the Hutchinson estimate (at most maxProbes Rademacher
// probes, tolerance HutchTol) of the trace of the Hessian of the mean
// cross-entropy over d with respect to the model's trainable parameters
// (as PyHessian: a frozen head is excluded), in eval mode, with
// Hessian-vector products from CentralDiffHVP. The model's weights are
// restored exactly; its gradients are overwritten.
func HessianTrace(m *nn.Model, d *data.Dataset, batch, maxProbes int, rng *rand.Rand) (trace float64, probes int) {
	hv, dim := CentralDiffHVP(m, d, batch)
	return Hutchinson(hv, dim, maxProbes, HutchTol, rng)
}

// CentralDiffHVP returns H v for the Hessian H of the mean eval-mode
// cross-entropy over d with respect to the trainable parameters (in
// Params order, flattened), computed as [g(w + eps v) - g(w - eps v)] / (2 eps)
// with eps = HessFDScale * ||w|| / ||v||, and the dimension of v. Each call
// restores the weights bit for bit.
func CentralDiffHVP(m *nn.Model, d *data.Dataset, batch int) (HVP, int) {
	var params []*nn.Param
	dim := 0
	for _, p := range m.Params() {
		if p.Trainable() {
			params = append(params, p)
			dim += p.Size()
		}
	}
	w0 := make([]float32, dim)
	gPlus := make([]float64, dim)
	hv := func(v, out []float64) {
		flatten(params, w0)
		var wn, vn float64
		for i, w := range w0 {
			wn += float64(w) * float64(w)
			vn += v[i] * v[i]
		}
		eps := HessFDScale // for a zero w (or v)
		if wn > 0 && vn > 0 {
			eps = HessFDScale * math.Sqrt(wn) / math.Sqrt(vn)
		}
		setShifted(params, w0, v, eps)
		meanCEGrad(m, d, batch)
		flattenGrad(params, gPlus)
		setShifted(params, w0, v, -eps)
		meanCEGrad(m, d, batch)
		flattenGrad(params, out)
		for i := range out {
			out[i] = (gPlus[i] - out[i]) / (2 * eps)
		}
		unflatten(params, w0)
	}
	return hv, dim
}

// meanCEGrad sets the model's gradients to those of the mean cross-entropy
// over all of d in eval mode and returns that mean.
func meanCEGrad(m *nn.Model, d *data.Dataset, batch int) float64 {
	m.ZeroGrad()
	var g *nn.Tensor
	var ce float64
	forEachBatch(d, batch, func(x *nn.Tensor, y []int32) {
		var l float64
		l, _, g = nn.SoftmaxCE(m.Forward(x, nn.Eval), y, g)
		w := float32(float64(len(y)) / float64(d.N)) // batch mean -> dataset mean
		for i := range g.Data {
			g.Data[i] *= w
		}
		m.Backward(g)
		ce += l * float64(len(y))
	})
	return ce / float64(d.N)
}

// HessBatch is the batch size of the Hessian-vector products of the hook:
// the paper's (PyHessian on cifar10_5k in batches of 50). The product does
// not depend on it (eval mode); small batches keep activations in cache.
const HessBatch = 50
