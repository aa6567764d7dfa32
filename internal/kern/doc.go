// Package kern holds wdlab's CPU compute kernels: the GEMM used by every
// convolution and dense layer (a plain-Go reference and SIMD versions built
// with GOEXPERIMENT=simd), im2col/col2im for NHWC convolutions, and bf16
// rounding. Every fast kernel has a reference implementation it is tested
// against.
package kern
