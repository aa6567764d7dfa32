package kern

// Gemm computes C = alpha*op(A)*op(B) + beta*C for row-major matrices, where
// op(A) is m x k and op(B) is k x n. With transA, A is stored k x m (lda >= m);
// otherwise m x k (lda >= k). With transB, B is stored n x k (ldb >= k);
// otherwise k x n (ldb >= n). C is m x n with ldc >= n. beta == 0 ignores the
// previous contents of C (NaNs included).
func Gemm(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	if m == 0 || n == 0 {
		return
	}
	GemmRef(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}
