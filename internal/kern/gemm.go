package kern

import "fmt"

// Gemm computes C = alpha*op(A)*op(B) + beta*C for row-major matrices, where
// op(A) is m x k and op(B) is k x n. With transA, A is stored k x m (lda >= m);
// otherwise m x k (lda >= k). With transB, B is stored n x k (ldb >= k);
// otherwise k x n (ldb >= n). C is m x n with ldc >= n. beta == 0 ignores the
// previous contents of C (NaNs included).
//
// Results are deterministic: they do not depend on GOMAXPROCS or on how the
// work is split across goroutines (see gemm_parallel.go). Gemm panics with a
// "kern.Gemm: ..." message when a dimension is negative, a leading dimension
// is too small, or a slice is too short for the shape it describes.
func Gemm(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	if err := checkGemm(transA, transB, m, n, k, len(a), lda, len(b), ldb, len(c), ldc); err != nil {
		panic("kern.Gemm: " + err.Error())
	}
	if m == 0 || n == 0 {
		return
	}
	if k == 0 || alpha == 0 {
		scaleC(m, n, beta, c, ldc)
		return
	}
	gemmBlocked(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

// checkGemm validates the shape and storage of a Gemm call.
func checkGemm(transA, transB bool, m, n, k, na, lda, nb, ldb, nc, ldc int) error {
	if m < 0 || n < 0 || k < 0 {
		return fmt.Errorf("negative dimension m=%d n=%d k=%d", m, n, k)
	}
	ar, ac := m, k
	if transA {
		ar, ac = k, m
	}
	br, bc := k, n
	if transB {
		br, bc = n, k
	}
	if err := checkMatrix("A", ar, ac, na, lda); err != nil {
		return err
	}
	if err := checkMatrix("B", br, bc, nb, ldb); err != nil {
		return err
	}
	return checkMatrix("C", m, n, nc, ldc)
}

// checkMatrix validates one rows x cols row-major matrix stored with leading
// dimension ld in a slice of length size.
func checkMatrix(name string, rows, cols, size, ld int) error {
	if ld < max(1, cols) {
		return fmt.Errorf("leading dimension of %s is %d, want >= %d", name, ld, max(1, cols))
	}
	if rows == 0 || cols == 0 {
		return nil
	}
	if need := (rows-1)*ld + cols; size < need {
		return fmt.Errorf("%s has %d elements, want >= %d for %dx%d with ld %d", name, size, need, rows, cols, ld)
	}
	return nil
}

// scaleC sets C = beta*C (beta == 0 clears C, NaNs included).
func scaleC(m, n int, beta float32, c []float32, ldc int) {
	for i := 0; i < m; i++ {
		row := c[i*ldc : i*ldc+n]
		switch beta {
		case 0:
			clear(row)
		case 1:
		default:
			for j := range row {
				row[j] *= beta
			}
		}
	}
}
