//go:build goexperiment.simd && amd64

package kern

import (
	"os"
	"simd/archsimd"
)

// AVX512Env names the environment variable that enables the AVX-512
// microkernel ("1"). It is off by default: the kernel compiles but has not
// yet run on a machine with AVX-512 (the development machine has AVX2 only),
// and the AVX2 kernels are correct on AVX-512 CPUs too. Enable it to test it:
// WDLAB_AVX512=1 go test ./internal/kern.
const AVX512Env = "WDLAB_AVX512"

// usableKernels lists the GEMM microkernels this CPU can run. The portable
// one comes last; planGemm only picks it when it is alone.
func usableKernels() []*gemmKernel {
	var ks []*gemmKernel
	if archsimd.X86.AVX512() && os.Getenv(AVX512Env) == "1" {
		ks = append(ks, kernelAVX512)
	}
	if archsimd.X86.AVX2() {
		ks = append(ks, kernelAVX2, kernelAVX2Rows)
	}
	return append(ks, kernelGeneric)
}
