//go:build !(goexperiment.simd && amd64)

package kern

// usableKernels lists the GEMM microkernels of a build without SIMD.
func usableKernels() []*gemmKernel {
	return []*gemmKernel{kernelGeneric}
}

// preferredKernels is usableKernels: there is no choice to make.
func preferredKernels() []*gemmKernel { return usableKernels() }
