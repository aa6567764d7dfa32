//go:build goexperiment.simd && amd64

package kern

import (
	"os"
	"simd/archsimd"

	"github.com/klauspost/cpuid/v2"
)

// AVX512Env names the environment variable that forces the AVX-512 GEMM
// microkernel on ("1") or off ("0") where the CPU has AVX-512; unset, it
// is on for Intel CPUs only (see avx512Wanted).
const AVX512Env = "WDLAB_AVX512"

// usableKernels lists the GEMM microkernels this CPU can run, each of
// which the tests exercise. The portable one comes last; planGemm only
// picks it when it is alone.
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

// preferredKernels is usableKernels without the AVX-512 microkernel
// unless avx512Wanted: the one Gemm chooses from.
func preferredKernels() []*gemmKernel {
	ks := usableKernels()
	if len(ks) > 0 && ks[0] == kernelAVX512 && !avx512Wanted(os.Getenv(AVX512Env), cpuid.CPU.VendorID) {
		ks = ks[1:]
	}
	return ks
}

// avx512Wanted decides whether Gemm uses the AVX-512 microkernel on an
// AVX-512 CPU: env "1" or "0" decides; otherwise Intel CPUs, which run
// 512-bit FMAs at full width (two such pipes on Xeon SP), yes, and others
// no: AMD Zen 4 splits each into two 256-bit halves, and there the
// AVX-512 kernel ran 10-40% slower than the AVX2 ones on the conv and
// most GPT shapes (docs/performance.md).
func avx512Wanted(env string, vendor cpuid.Vendor) bool {
	switch env {
	case "1":
		return true
	case "0":
		return false
	}
	return vendor == cpuid.Intel
}
