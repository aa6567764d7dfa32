//go:build goexperiment.simd && amd64

package kern

import "simd/archsimd"

// usableKernels lists the GEMM microkernels this CPU can run. The portable
// one comes last; planGemm only picks it when it is alone.
func usableKernels() []*gemmKernel {
	var ks []*gemmKernel
	if archsimd.X86.AVX512() {
		ks = append(ks, kernelAVX512)
	}
	if archsimd.X86.AVX2() {
		ks = append(ks, kernelAVX2, kernelAVX2Rows)
	}
	return append(ks, kernelGeneric)
}
