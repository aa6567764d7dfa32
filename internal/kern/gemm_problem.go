package kern

// The blocked GEMM works on a canonical problem C = alpha*A*B + beta*C where
// every operand is a strided view, so transposes are just swapped strides.
// A is the "broadcast" side: the microkernel multiplies one A element by a
// vector of nr B elements, reading A either packed in micro-panels of mr
// rows or in place. B is the "vector" side, packed (or read in place) in panels of
// nr columns. Because C^T = B^T*A^T, planGemm may swap the roles of A and B.

// mat is a strided matrix view: element (i, j) is s[off + i*rs + j*cs].
type mat struct {
	s      []float32
	off    int
	rs, cs int
}

// at returns the index in s of element (i, j).
func (x mat) at(i, j int) int { return x.off + i*x.rs + j*x.cs }

// gemmProblem is C (m x n) = alpha * A (m x k) * B (k x n) + beta*C.
type gemmProblem struct {
	m, n, k     int
	a, b, c     mat
	alpha, beta float32
}

// transposed returns the equivalent problem C^T = B^T * A^T.
func (p gemmProblem) transposed() gemmProblem {
	return gemmProblem{
		m: p.n, n: p.m, k: p.k,
		a:     mat{p.b.s, p.b.off, p.b.cs, p.b.rs},
		b:     mat{p.a.s, p.a.off, p.a.cs, p.a.rs},
		c:     mat{p.c.s, p.c.off, p.c.cs, p.c.rs},
		alpha: p.alpha, beta: p.beta,
	}
}

// newProblem is the canonical form of a Gemm call.
func newProblem(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) gemmProblem {
	p := gemmProblem{m: m, n: n, k: k, alpha: alpha, beta: beta,
		a: mat{a, 0, lda, 1}, b: mat{b, 0, ldb, 1}, c: mat{c, 0, ldc, 1}}
	if transA {
		p.a.rs, p.a.cs = 1, lda
	}
	if transB {
		p.b.rs, p.b.cs = 1, ldb
	}
	return p
}

// Microkernel update flags: how a finished tile acc is written to C.
const (
	updAlpha = 1 << iota // multiply acc by alpha
	updLoad              // add the previous C (else overwrite)
	updBeta              // scale the previous C by beta before adding
)

// updateFlags returns the flags for one k-block; only the first block sees beta.
func updateFlags(first bool, alpha, beta float32) uint {
	var f uint
	if alpha != 1 {
		f |= updAlpha
	}
	switch {
	case !first || beta == 1:
		f |= updLoad
	case beta != 0:
		f |= updLoad | updBeta
	}
	return f
}
