package kern

// AVX512InUse reports whether Gemm may use the AVX-512 microkernel: a
// GOEXPERIMENT=simd amd64 build on an AVX-512 CPU with WDLAB_AVX512=1 (see
// usableKernels). MFU reports use it to pick 16 fp32 lanes instead of 8.
func AVX512InUse() bool {
	for _, k := range usableKernels() {
		if k.name == "avx512" {
			return true
		}
	}
	return false
}
