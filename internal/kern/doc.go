// Package kern holds wdlab's CPU compute kernels: the GEMM behind every
// convolution and dense layer, im2col/col2im for NHWC convolutions,
// batch-norm, GELU and softmax kernels, and bfloat16 rounding.
//
// Gemm (gemm.go) is a blocked, packed, multi-goroutine GEMM. Built with
// GOEXPERIMENT=simd on amd64 it uses archsimd microkernels (AVX2 4x16) and,
// on CPUs with AVX-512, an 8x32 one whose loop is Go assembly
// (gemm_fma_amd64.s: FMAs into the accumulators); other builds use a
// portable pure-Go 4x4 kernel with the same driver. The planner
// (gemm_plan.go) picks the orientation and kernel per call from the shape
// alone, and work is split across goroutines along M or N only, so results
// do not depend on GOMAXPROCS. GemmRef (a test file) is the plain reference
// every kernel is tested against.
//
// Im2col/Col2im (im2col.go) unfold and fold NHWC images, in parallel over
// the batch; RoundBF16/BF16 (bf16.go) round float32 to bfloat16 precision.
// Batch norm: bnrows*.go holds the native layer's row loops, bnfused*.go
// the oneDNN executor's kernels on blocked layouts (float64 sums); GELU
// (gelu*.go) and
// the softmax's exponentials (softmax*.go) use the float32 erf and exp of
// mathf32*.go.
// docs/performance-kern.md records the measured speeds.
package kern
