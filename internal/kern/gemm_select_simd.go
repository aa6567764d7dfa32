//go:build goexperiment.simd && amd64

package kern

import (
	"os"
	"simd/archsimd"
)

// AVX512Env names the environment variable that turns the AVX-512 GEMM
// microkernel off ("0") where the CPU has AVX-512; unset or any other
// value, Gemm may choose it.
const AVX512Env = "WDLAB_AVX512"

// usableKernels lists the GEMM microkernels this CPU can run, each of
// which the tests exercise. The portable one comes last.
func usableKernels() []*gemmKernel {
	var ks []*gemmKernel
	if archsimd.X86.AVX512() {
		ks = append(ks, kernelFMA512)
	}
	if archsimd.X86.AVX2() && archsimd.X86.FMA() {
		ks = append(ks, kernelFMA256)
	}
	return append(ks, kernelGeneric)
}

// preferredKernels is usableKernels without the AVX-512 microkernel
// when WDLAB_AVX512=0, and without the portable one where a SIMD kernel
// runs: the ones Gemm chooses from. The SIMD kernels sum each element's
// products in k order with fused multiply-adds, so while k fits one
// k-block (256 steps) a row of C does not depend on the shape that decides
// the kernel, such as the batch size; the portable kernel rounds each
// product first.
func preferredKernels() []*gemmKernel {
	ks := usableKernels()
	if ks[0] == kernelFMA512 && os.Getenv(AVX512Env) == "0" {
		ks = ks[1:]
	}
	if len(ks) > 1 {
		ks = ks[:len(ks)-1]
	}
	return ks
}
