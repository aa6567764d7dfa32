package kern

import (
	"sync"
	"unsafe"
)

// gemmKernel describes one microkernel and its packing formats.
type gemmKernel struct {
	name   string
	mr, nr int // register tile
	// inPlace kernels read A where it lies when its rows are contiguous
	// (a.cs == 1): row r, step p at a + r*ars + p*acs bytes. Otherwise, and
	// for edge micro-panels, they read A packed.
	inPlace bool
	kcMax   int     // k-block limit: the A micro-panel must stay in L1
	ncMax   int     // n-block limit, a multiple of nr
	gflops  float64 // rough single-core speed, for planning only
	// packA writes rows [i0, i0+rows) x cols [p0, p0+kc) of a into dst as
	// dst[p*mr+r]; rows beyond rows (up to mr) are zero.
	packA func(dst []float32, a mat, i0, rows, p0, kc int)
	// packB writes rows [p0, p0+kc) x cols [j0, j0+cols) of b into dst as
	// dst[p*nr+j]; columns beyond cols (up to nr) are zero.
	packB func(dst []float32, b mat, p0, kc, j0, cols int)
	// micro computes the mr x nr tile acc = sum_p A(r,p)*B(p,j) over kc >= 1
	// steps, reading A at a (packed, or in place with strides ars, acs for
	// inPlace kernels) and B row p at b + p*bs bytes, and writes row r of the
	// result at c + r*ldc bytes according to flags and sc.
	micro func(kc int, a unsafe.Pointer, ars, acs uintptr, b unsafe.Pointer, bs uintptr, c unsafe.Pointer, ldc uintptr, sc *gemmScalars, flags uint)
	// work pools this kernel's per-goroutine buffers (gemm_parallel.go).
	work sync.Pool
}

// gemmScalars holds alpha and beta replicated for vector loads. Kernels get
// them through memory: scalar float arguments arrive in X0/X1, which the
// compiler may spill and reload with legacy SSE instructions inside the
// vector loop, and SSE code on dirty upper YMM state is very slow.
type gemmScalars struct {
	alpha, beta [16]float32
}

// set fills sc with alpha and beta.
func (sc *gemmScalars) set(alpha, beta float32) {
	for i := range sc.alpha {
		sc.alpha[i], sc.beta[i] = alpha, beta
	}
}

// l2Budget is the size in bytes of the B block (kc x nc) kept in L2.
const l2Budget = 256 << 10

// blocking returns the k-block (equal blocks of at most kcMax) and n-block
// (the widest multiple of nr whose kc x nc B block fits l2Budget) for k.
// Plain-packed A (not in place) is limited to 256 steps so that the A block
// it is gathered from (kc x m) stays in cache across micro-panels.
func (kn *gemmKernel) blocking(k int, aInPlace bool) (kc, nc int) {
	kcMax := kn.kcMax
	if !aInPlace {
		kcMax = min(kcMax, 256)
	}
	kc = ceilDiv(k, ceilDiv(k, kcMax))
	nc = min(kn.ncMax, max(kn.nr, l2Budget/(4*kc)/kn.nr*kn.nr))
	return kc, nc
}

// aInPlace reports whether kn reads p's A where it lies.
func (kn *gemmKernel) aInPlace(p *gemmProblem) bool { return kn.inPlace && p.a.cs == 1 }

// directB reports whether kn reads p's B panels in place rather than packed:
// B needs unit column stride and a row stride that neither thrashes cache
// sets nor the TLB, and either rows at most two panels wide (the panel is
// nearly contiguous anyway) or few micro-panels of A to reuse it (packing
// would not pay for itself).
func directB(p *gemmProblem, kn *gemmKernel) bool {
	b := p.b
	return b.cs == 1 && b.rs <= 1024 && b.rs%512 != 0 &&
		(b.rs <= 2*kn.nr || ceilDiv(p.m, kn.mr) <= 32)
}

func ceilDiv(a, b int) int { return (a + b - 1) / b }

// updateTile writes the mr x nr tile t (row-major) to row r of C at c +
// r*ldc bytes according to flags (see updAlpha): C = alpha*t (+ beta*C).
// The explicit float32 conversions keep the compiler from fusing the
// multiply into the add.
func updateTile(t []float32, mr, nr int, c unsafe.Pointer, ldc uintptr, sc *gemmScalars, flags uint) {
	alpha, beta := sc.alpha[0], sc.beta[0]
	for r := range mr {
		row := unsafe.Slice((*float32)(unsafe.Add(c, uintptr(r)*ldc)), nr)
		for j, v := range t[r*nr : (r+1)*nr] {
			if flags&updAlpha != 0 {
				v = float32(v * alpha)
			}
			if flags&updLoad != 0 {
				old := row[j]
				if flags&updBeta != 0 {
					old = float32(old * beta)
				}
				v = old + v
			}
			row[j] = v
		}
	}
}
