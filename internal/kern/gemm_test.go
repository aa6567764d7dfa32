package kern

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"
)

// gemmCase is one Gemm call to check against GemmRef.
type gemmCase struct {
	transA, transB bool
	m, n, k        int
	alpha, beta    float32
	pad            int // extra leading-dimension padding and slice offset
}

func (g gemmCase) String() string {
	return fmt.Sprintf("tA=%v,tB=%v,%dx%dx%d,alpha=%g,beta=%g,pad=%d", g.transA, g.transB, g.m, g.n, g.k, g.alpha, g.beta, g.pad)
}

// gemmOperands holds a case's inputs; a, b, c are sub-slices starting at
// offset pad of larger backing slices.
type gemmOperands struct {
	a, b, c       []float32
	lda, ldb, ldc int
}

func randFloats(rng *rand.Rand, n int) []float32 {
	s := make([]float32, n)
	for i := range s {
		s[i] = rng.Float32()*2 - 1
	}
	return s
}

func (g gemmCase) operands(rng *rand.Rand) gemmOperands {
	ar, ac := g.m, g.k
	if g.transA {
		ar, ac = g.k, g.m
	}
	br, bc := g.k, g.n
	if g.transB {
		br, bc = g.n, g.k
	}
	o := gemmOperands{lda: ac + g.pad, ldb: bc + g.pad, ldc: g.n + g.pad}
	o.a = randFloats(rng, g.pad+ar*o.lda)[g.pad:]
	o.b = randFloats(rng, g.pad+br*o.ldb)[g.pad:]
	o.c = randFloats(rng, g.pad+g.m*o.ldc)[g.pad:]
	if g.beta == 0 {
		nan := float32(math.NaN())
		for i := 0; i < g.m; i++ {
			for j := 0; j < g.n; j++ {
				o.c[i*o.ldc+j] = nan
			}
		}
	}
	return o
}

// bound returns, for element (i, j), a bound on |Gemm - GemmRef|: both are
// float32 sums of k products, each within about k*eps of the exact value
// relative to alpha*sum|a||b| + |beta*c|.
func (g gemmCase) bound(o gemmOperands, c0 []float32, i, j int) float64 {
	s := 0.0
	for p := 0; p < g.k; p++ {
		ai, bi := i*o.lda+p, p*o.ldb+j
		if g.transA {
			ai = p*o.lda + i
		}
		if g.transB {
			bi = j*o.ldb + p
		}
		s += math.Abs(float64(o.a[ai]) * float64(o.b[bi]))
	}
	s *= math.Abs(float64(g.alpha))
	if g.beta != 0 {
		s += math.Abs(float64(g.beta) * float64(c0[i*o.ldc+j]))
	}
	return 4 * float64(g.k+2) * 0x1p-24 * (s + 1e-30)
}

// check runs fn (a Gemm-like call) on the case and compares it with GemmRef,
// including that C's padding between rows is untouched.
func (g gemmCase) check(t *testing.T, seed uint64, fn func(o gemmOperands)) {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, 7))
	o := g.operands(rng)
	c0 := append([]float32(nil), o.c...)
	want := append([]float32(nil), o.c...)
	GemmRef(g.transA, g.transB, g.m, g.n, g.k, g.alpha, o.a, o.lda, o.b, o.ldb, g.beta, want, o.ldc)
	fn(o)
	bad := 0
	for i := 0; i < g.m; i++ {
		for j := 0; j < o.ldc && i*o.ldc+j < len(o.c); j++ {
			idx := i*o.ldc + j
			got := o.c[idx]
			if j >= g.n {
				if math.Float32bits(got) != math.Float32bits(c0[idx]) {
					t.Fatalf("%v: padding C[%d,%d] changed from %v to %v", g, i, j, c0[idx], got)
				}
				continue
			}
			if diff := math.Abs(float64(got) - float64(want[idx])); !(diff <= g.bound(o, c0, i, j)) {
				if bad++; bad <= 3 {
					t.Errorf("%v: C[%d,%d] = %v, want %v (bound %.3g)", g, i, j, got, want[idx], g.bound(o, c0, i, j))
				}
			}
		}
	}
	if bad > 0 {
		t.Fatalf("%v: %d wrong elements", g, bad)
	}
}

// gemmShapes are awkward (m, n, k) triples: ones, primes, non-multiples of
// the tiles, k beyond one k-block, and shapes big enough to run in parallel.
var gemmShapes = [][3]int{
	{1, 1, 1}, {1, 17, 3}, {7, 1, 5}, {7, 13, 31}, {13, 7, 1}, {17, 33, 65},
	{4, 16, 8}, {6, 32, 64}, {31, 31, 31}, {5, 129, 257}, {3, 100, 200},
	{100, 3, 200}, {64, 48, 130}, {130, 20, 300}, {257, 45, 70}, {37, 600, 41},
	{1500, 16, 27},
}

// withKernel runs fn with kn as the only kernel Gemm may use.
func withKernel(kn *gemmKernel, fn func()) {
	old := activeKernels
	activeKernels = []*gemmKernel{kn}
	defer func() { activeKernels = old }()
	fn()
}

func TestGemmMatchesReference(t *testing.T) {
	for _, kn := range usableKernels() {
		t.Run(kn.name, func(t *testing.T) {
			withKernel(kn, func() {
				seed := uint64(0)
				for _, s := range gemmShapes {
					for _, tr := range [][2]bool{{false, false}, {true, false}, {false, true}, {true, true}} {
						for _, ab := range [][2]float32{{1, 0}, {-0.5, 1}, {1.5, 0.75}} {
							seed++
							g := gemmCase{tr[0], tr[1], s[0], s[1], s[2], ab[0], ab[1], int(seed % 3 * 5)}
							g.check(t, seed, func(o gemmOperands) {
								Gemm(g.transA, g.transB, g.m, g.n, g.k, g.alpha, o.a, o.lda, o.b, o.ldb, g.beta, o.c, o.ldc)
							})
						}
					}
				}
			})
		})
	}
}

// TestGemmBothOrientations runs each case through the driver both as given
// and transposed (C^T = B^T A^T), whatever orientCost would pick.
func TestGemmBothOrientations(t *testing.T) {
	for _, kn := range usableKernels() {
		for _, s := range [][3]int{{7, 13, 31}, {17, 33, 65}, {70, 19, 150}, {9, 40, 3}} {
			for tr := 0; tr < 4; tr++ {
				for _, swap := range []bool{false, true} {
					g := gemmCase{tr&1 != 0, tr&2 != 0, s[0], s[1], s[2], 0.5, 0.25, 3}
					g.check(t, uint64(tr), func(o gemmOperands) {
						p := newProblem(g.transA, g.transB, g.m, g.n, g.k, g.alpha, o.a, o.lda, o.b, o.ldb, g.beta, o.c, o.ldc)
						if swap {
							p = p.transposed()
						}
						runGemm(&p, kn)
					})
				}
			}
		}
	}
}

func TestGemmDegenerate(t *testing.T) {
	nan := float32(math.NaN())
	c := []float32{nan, nan, 1, nan, nan, 1}
	Gemm(false, false, 2, 2, 0, 1, nil, 1, nil, 2, 0, c, 3)
	if want := []float32{0, 0, 1, 0, 0, 1}; fmt.Sprint(c) != fmt.Sprint(want) {
		t.Errorf("k=0, beta=0: C = %v, want %v", c, want)
	}
	c = []float32{1, 2, 3, 4}
	Gemm(false, false, 2, 2, 0, 1, nil, 1, nil, 2, 2, c, 2)
	if want := []float32{2, 4, 6, 8}; fmt.Sprint(c) != fmt.Sprint(want) {
		t.Errorf("k=0, beta=2: C = %v, want %v", c, want)
	}
	a, b := []float32{1, 2}, []float32{3, 4}
	c = []float32{5}
	Gemm(false, false, 1, 1, 2, 0, a, 2, b, 1, 1, c, 1)
	if c[0] != 5 {
		t.Errorf("alpha=0, beta=1: C = %v, want [5]", c)
	}
	Gemm(false, false, 0, 3, 2, 1, nil, 2, make([]float32, 6), 3, 0, nil, 3)
}

// TestGemmKnownAnswer checks a hand-computed product with every kernel.
func TestGemmKnownAnswer(t *testing.T) {
	a := []float32{1, 2, 3, 4, 5, 6}    // 2x3
	b := []float32{7, 8, 9, 10, 11, 12} // 3x2
	want := []float32{58, 64, 139, 154}
	for _, kn := range usableKernels() {
		withKernel(kn, func() {
			c := make([]float32, 4)
			Gemm(false, false, 2, 2, 3, 1, a, 3, b, 2, 0, c, 2)
			if fmt.Sprint(c) != fmt.Sprint(want) {
				t.Errorf("%s: C = %v, want %v", kn.name, c, want)
			}
		})
	}
}

func TestGemmBadInputPanics(t *testing.T) {
	cases := []struct {
		name string
		call func()
		msg  string
	}{
		{"negative", func() { Gemm(false, false, -1, 2, 2, 1, nil, 2, nil, 2, 0, nil, 2) }, "negative dimension"},
		{"lda", func() {
			Gemm(false, false, 2, 2, 3, 1, make([]float32, 6), 2, make([]float32, 6), 2, 0, make([]float32, 4), 2)
		}, "leading dimension of A"},
		{"short B", func() {
			Gemm(false, true, 2, 2, 3, 1, make([]float32, 6), 3, make([]float32, 5), 3, 0, make([]float32, 4), 2)
		}, "B has 5 elements"},
		{"short C", func() {
			Gemm(false, false, 2, 2, 1, 1, make([]float32, 2), 1, make([]float32, 2), 2, 0, make([]float32, 4), 3)
		}, "C has 4 elements"},
	}
	for _, tc := range cases {
		func() {
			defer func() {
				r := recover()
				if s, ok := r.(string); !ok || !strings.HasPrefix(s, "kern.Gemm: ") || !strings.Contains(s, tc.msg) {
					t.Errorf("%s: panic %v, want kern.Gemm: ...%s", tc.name, r, tc.msg)
				}
			}()
			tc.call()
		}()
	}
}

// TestGemmDeterministic checks bitwise-identical results for GOMAXPROCS 1,
// 2 and 3 on shapes that split along M and along N.
func TestGemmDeterministic(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	rng := rand.New(rand.NewPCG(1, 2))
	for _, s := range [][3]int{{600, 40, 300}, {40, 600, 300}, {144, 16, 20000}} {
		for _, kn := range usableKernels() {
			for tr := 0; tr < 4; tr++ {
				g := gemmCase{tr&1 != 0, tr&2 != 0, s[0], s[1], s[2], 0.7, 0.3, 0}
				o := g.operands(rng)
				var first []float32
				for _, procs := range []int{1, 2, 3} {
					runtime.GOMAXPROCS(procs)
					c := append([]float32(nil), o.c...)
					withKernel(kn, func() {
						Gemm(g.transA, g.transB, g.m, g.n, g.k, g.alpha, o.a, o.lda, o.b, o.ldb, g.beta, c, o.ldc)
					})
					if first == nil {
						first = c
						continue
					}
					for i := range c {
						if math.Float32bits(c[i]) != math.Float32bits(first[i]) {
							t.Fatalf("%s %v: GOMAXPROCS=%d differs at %d: %v vs %v", kn.name, g, procs, i, c[i], first[i])
						}
					}
				}
			}
		}
	}
}

func TestGemmSteadyStateNoAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("sync.Pool drops items under -race")
	}
	m, n, k := 256, 64, 300 // large enough to run in parallel
	a, b, c := make([]float32, m*k), make([]float32, k*n), make([]float32, m*n)
	Gemm(false, false, m, n, k, 1, a, k, b, n, 0, c, n)
	allocs := testing.AllocsPerRun(20, func() {
		Gemm(false, false, m, n, k, 1, a, k, b, n, 0, c, n)
	})
	if allocs > 0 {
		t.Errorf("Gemm allocated %.1f times per call", allocs)
	}
}
