package kern

import (
	"runtime"
	"sync"
	"unsafe"
)

// Parallel GEMM (workers in pool.go): C is cut into at most GOMAXPROCS rectangles along M or N, in
// whole microkernel tiles; every goroutine runs the full k range of its
// rectangle. K is never split, so every element of C is computed by the same
// sequence of operations whatever the number of goroutines: results are
// bitwise reproducible. Goroutines come from the persistent worker pool and
// buffers from per-kernel sync.Pools, so steady-state calls do not allocate.

// minPartFlops is the least work worth handing to another goroutine.
const minPartFlops = 4e6

// gemmWork is one goroutine's packing buffers for one kernel.
type gemmWork struct {
	apack, bpack, tile []float32
	scratch            []float32 // grows on demand (gemmRectTransposedC)
	sc                 gemmScalars
}

// getWork takes a gemmWork for kn from its pool (or makes one).
func getWork(kn *gemmKernel) *gemmWork {
	if w, ok := kn.work.Get().(*gemmWork); ok {
		return w
	}
	return &gemmWork{
		apack: alignedFloats(kn.mr * kn.kcMax),
		bpack: alignedFloats(max(l2Budget/4, kn.kcMax*kn.nr)),
		tile:  alignedFloats(kn.mr * kn.nr),
	}
}

// putWork returns w to kn's pool.
func putWork(kn *gemmKernel, w *gemmWork) { kn.work.Put(w) }

// alignedFloats returns a zeroed slice of n floats starting on a 64-byte
// boundary, so vector loads from packed panels never split cache lines.
func alignedFloats(n int) []float32 {
	s := make([]float32, n+16)
	off := int(uintptr(unsafe.Pointer(&s[0]))%64) / 4
	if off != 0 {
		off = 16 - off
	}
	return s[off : off+n : off+n]
}

// gemmJob is one parallel Gemm call.
type gemmJob struct {
	p      gemmProblem
	kn     *gemmKernel
	parts  int
	splitM bool
}

// rect returns part t's rectangle of C.
func (j *gemmJob) rect(t int) (m0, m1, n0, n1 int) {
	if j.splitM {
		m0, m1 = splitRange(j.p.m, j.kn.mr, j.parts, t)
		return m0, m1, 0, j.p.n
	}
	n0, n1 = splitRange(j.p.n, j.kn.nr, j.parts, t)
	return 0, j.p.m, n0, n1
}

// splitRange returns part t of [0, size) cut into parts runs of whole units.
func splitRange(size, unit, parts, t int) (lo, hi int) {
	tiles := ceilDiv(size, unit)
	lo = t * tiles / parts * unit
	hi = min(size, (t+1)*tiles/parts*unit)
	return lo, hi
}

// runPart computes part t's rectangle of C.
func (j *gemmJob) runPart(t int) {
	w := getWork(j.kn)
	m0, m1, n0, n1 := j.rect(t)
	gemmRect(&j.p, j.kn, w, m0, m1, n0, n1)
	putWork(j.kn, w)
}

var jobPool = sync.Pool{New: func() any { return new(gemmJob) }}

// planSplit chooses how many goroutines to use and along which dimension.
// Splitting M makes every part read (and pack) all of B; splitting N makes
// every part read all of A. It picks the dimension whose duplicated reading
// is cheaper, provided it has at least two tiles.
func planSplit(p *gemmProblem, kn *gemmKernel) (parts int, splitM bool) {
	flops := 2 * float64(p.m) * float64(p.n) * float64(p.k)
	parts = min(runtime.GOMAXPROCS(0), int(flops/minPartFlops))
	if parts <= 1 {
		return 1, true
	}
	tm, tn := ceilDiv(p.m, kn.mr), ceilDiv(p.n, kn.nr)
	splitM = tm >= 2 && (tn < 2 || bCost(p, kn) <= aCost(p, kn))
	if splitM {
		return min(parts, tm), true
	}
	return min(parts, tn), false
}

// runGemm solves p, in parallel when it is large enough.
func runGemm(p *gemmProblem, kn *gemmKernel) {
	parts, splitM := planSplit(p, kn)
	if parts <= 1 {
		w := getWork(kn)
		gemmRect(p, kn, w, 0, p.m, 0, p.n)
		putWork(kn, w)
		return
	}
	j := jobPool.Get().(*gemmJob)
	j.p, j.kn, j.parts, j.splitM = *p, kn, parts, splitM
	runParts(parts, j)
	j.p, j.kn = gemmProblem{}, nil
	jobPool.Put(j)
}
