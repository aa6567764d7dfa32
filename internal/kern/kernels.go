package kern

// GemmKernels names the microkernels Gemm chooses from on this machine
// (by shape), the preferred ones first: "avx512" only where it is
// preferred (Intel, or WDLAB_AVX512=1; see preferredKernels).
func GemmKernels() []string {
	var names []string
	for _, k := range activeKernels {
		names = append(names, k.name)
	}
	return names
}
