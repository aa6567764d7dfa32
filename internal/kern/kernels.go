package kern

// GemmKernels names the microkernels Gemm chooses from on this machine
// (by shape), the preferred ones first: "avx512fma" wherever the CPU has
// AVX-512, unless WDLAB_AVX512=0 (see preferredKernels).
func GemmKernels() []string {
	var names []string
	for _, k := range activeKernels {
		names = append(names, k.name)
	}
	return names
}
