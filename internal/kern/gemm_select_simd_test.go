//go:build goexperiment.simd && amd64

package kern

import (
	"simd/archsimd"
	"testing"
)

// On an AVX-512 CPU Gemm may use the AVX-512 microkernel unless
// WDLAB_AVX512=0.
func TestAVX512Preference(t *testing.T) {
	if !archsimd.X86.AVX512() {
		t.Skip("no AVX-512")
	}
	for env, want := range map[string]bool{"": true, "1": true, "0": false} {
		t.Setenv(AVX512Env, env)
		if got := preferredKernels()[0] == kernelFMA512; got != want {
			t.Errorf("%s=%q: AVX-512 kernel preferred %v, want %v", AVX512Env, env, got, want)
		}
	}
}
