package probe

import (
	"math/rand/v2"

	"wdlab/internal/data"
	"wdlab/internal/nn"
)

// HessianTrace is the Hutchinson estimate (at most maxProbes Rademacher
// probes, tolerance HutchTol) of the trace of the Hessian of the mean
// cross-entropy over d with respect to the model's trainable parameters
// (as PyHessian: a frozen head is excluded), in eval mode, with the exact
// Hessian-vector products of ExactHVP. The model's weights are untouched;
// its gradients are overwritten. It fails for a model with a layer that
// has no R-operator.
func HessianTrace(m *nn.Model, d *data.Dataset, batch, maxProbes int, rng *rand.Rand) (trace float64, probes int, err error) {
	hv, dim, err := ExactHVP(m, d, batch)
	if err != nil {
		return 0, 0, err
	}
	trace, probes = Hutchinson(hv, dim, maxProbes, HutchTol, rng)
	return trace, probes, nil
}

// ExactHVP returns H v for the Hessian H of the mean eval-mode
// cross-entropy over d with respect to the trainable parameters (in Params
// order, flattened), and the dimension of v. The products come from
// Pearlmutter's R-operator (nn.HVP): exact up to float32 round-off, with no
// step size, ReLU masks and max-pool choices those of the current weights
// and BN on its running statistics, which is what PyHessian's double
// back-propagation computes in eval mode. v is rounded to float32 (exact
// for Rademacher probes).
func ExactHVP(m *nn.Model, d *data.Dataset, batch int) (HVP, int, error) {
	h, err := nn.NewHVP(m)
	if err != nil {
		return nil, 0, err
	}
	var params []*nn.Param
	dim := 0
	for _, p := range m.Params() {
		if p.Trainable() {
			params = append(params, p)
			dim += p.Size()
		}
	}
	v32 := make([]float32, dim)
	off := 0
	for _, p := range params {
		h.SetDirection(p, v32[off:off+p.Size()])
		off += p.Size()
	}
	hv := func(v, out []float64) {
		for i, x := range v {
			v32[i] = float32(x)
		}
		m.ZeroGrad()
		forEachBatch(d, batch, func(x *nn.Tensor, y []int32) {
			h.Batch(x, y, float64(len(y))/float64(d.N)) // batch mean -> dataset mean
		})
		flattenGrad(params, out)
	}
	return hv, dim, nil
}

// HessBatch is the batch size of the Hessian-vector products of the hook:
// the paper's (PyHessian on cifar10_5k in batches of 50). The product does
// not depend on it (eval mode); small batches keep activations in cache.
const HessBatch = 50
