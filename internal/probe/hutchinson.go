package probe

import (
	"math"
	"math/rand/v2"
)

// HutchTol is the relative tolerance of Hutchinson's stopping rule
// (PyHessian's, which the paper's Hessian traces used).
const HutchTol = 1e-3

// HVP writes H v into hv for a symmetric operator H of the dimension of v.
type HVP func(v, hv []float64)

// Hutchinson estimates tr(H) as the mean of v^T H v over Rademacher vectors
// v in {-1, +1}^dim drawn from rng (PyHessian's rule): after each
// probe the running mean is compared with the previous one (0 before the
// first probe) and the loop stops when
// |mean_k - mean_{k-1}| / (|mean_{k-1}| + 1e-6) < tol, or after maxProbes
// probes. It returns the mean and the number of probes used.
func Hutchinson(hv HVP, dim, maxProbes int, tol float64, rng *rand.Rand) (trace float64, probes int) {
	v, out := make([]float64, dim), make([]float64, dim)
	var sum, prev float64
	for k := 1; k <= maxProbes; k++ {
		for i := range v {
			v[i] = rademacher(rng)
		}
		hv(v, out)
		var vhv float64
		for i, x := range v {
			vhv += x * out[i]
		}
		sum += vhv
		cur := sum / float64(k)
		if math.Abs(cur-prev)/(math.Abs(prev)+1e-6) < tol {
			return cur, k
		}
		prev = cur
	}
	return prev, maxProbes
}
