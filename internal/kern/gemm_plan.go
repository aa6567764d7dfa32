package kern

// Planning: each Gemm call picks an orientation (C = A*B or C^T = B^T*A^T)
// and a microkernel by a rough cost estimate. The estimate depends only on
// the shape, the strides and the available kernels, never on the number of
// goroutines, so a given call always does the same arithmetic.

// activeKernels are the microkernels Gemm may choose from: the preferred
// ones of those this CPU supports, set once at init. Tests narrow it to
// exercise one kernel.
var activeKernels = preferredKernels()

// planGemm returns the cheapest orientation of p and the kernel to run it.
func planGemm(p gemmProblem, kernels []*gemmKernel) (gemmProblem, *gemmKernel) {
	best, bestKn, bestCost := p, kernels[0], -1.0
	for _, q := range [2]gemmProblem{p, p.transposed()} {
		for _, kn := range kernels {
			if c := estimateCost(&q, kn); bestCost < 0 || c < bestCost {
				best, bestKn, bestCost = q, kn, c
			}
		}
	}
	return best, bestKn
}

// estimateCost is a rough time in ns for solving p with kn on one core: the
// FLOPs at the kernel's speed plus the cost of reading A and B (aCost,
// bCost) and of the C updates.
func estimateCost(p *gemmProblem, kn *gemmKernel) float64 {
	kc, _ := kn.blocking(p.k, kn.aInPlace(p))
	m, n := float64(p.m), float64(p.n)
	mp := float64(ceilDiv(p.m, kn.mr) * kn.mr)
	np := float64(ceilDiv(p.n, kn.nr) * kn.nr)
	cost := 2 * mp * np * float64(p.k) / kn.gflops
	cost += aCost(p, kn) + bCost(p, kn)
	cost += 0.2 * m * n * float64(ceilDiv(p.k, kc))
	if p.n < kn.nr {
		// Every tile is partial: computed into a scratch tile, then
		// scattered by scatterTile's scalar loop, about 5 ns per element.
		cost += 5 * m * n * float64(ceilDiv(p.k, kc))
	}
	if p.c.cs != 1 {
		cost += 1.5 * m * n // the scattered pass of gemmRectTransposedC
	}
	return cost
}

// aCost estimates reading (and packing) A, in ns. Per element and pass over
// A: 0.5 ns when streamed in place, 0.7 ns when packed, half as much again
// when a row-major A is cut into k-blocks (short strided row segments
// defeat the prefetchers).
func aCost(p *gemmProblem, kn *gemmKernel) float64 {
	inPlace := kn.aInPlace(p)
	kc, nc := kn.blocking(p.k, inPlace)
	per := 0.5
	if !inPlace {
		per = 0.7
	}
	if p.a.cs == 1 && p.k > kc {
		per *= 1.5
	}
	return per * float64(p.m) * float64(p.k) * float64(ceilDiv(p.n, nc))
}

// bCost estimates reading (and packing) B once, in ns per element: 0.5 when
// read in place, 0.7 when packed from rows, 1.2 when gathered (transposed).
func bCost(p *gemmProblem, kn *gemmKernel) float64 {
	per := 1.2
	switch {
	case directB(p, kn):
		per = 0.5
	case p.b.cs == 1:
		per = 0.7
	}
	return per * float64(p.k) * float64(p.n)
}
