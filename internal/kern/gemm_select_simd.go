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
// which the tests exercise. The portable one comes last; planGemm only
// picks it when it is alone.
func usableKernels() []*gemmKernel {
	var ks []*gemmKernel
	if archsimd.X86.AVX512() {
		ks = append(ks, kernelFMA512)
	}
	if archsimd.X86.AVX2() {
		ks = append(ks, kernelAVX2, kernelAVX2Rows)
	}
	return append(ks, kernelGeneric)
}

// preferredKernels is usableKernels without the AVX-512 microkernel
// when WDLAB_AVX512=0: the ones Gemm chooses from.
func preferredKernels() []*gemmKernel {
	ks := usableKernels()
	if len(ks) > 0 && ks[0] == kernelFMA512 && os.Getenv(AVX512Env) == "0" {
		ks = ks[1:]
	}
	return ks
}
