//go:build goexperiment.simd && amd64

package kern

import (
	"testing"

	"github.com/klauspost/cpuid/v2"
)

// The AVX-512 GEMM microkernel is preferred on Intel, not on AMD (whose
// Zen 4 splits 512-bit FMAs), and WDLAB_AVX512 overrides either way.
func TestAVX512Preference(t *testing.T) {
	for _, c := range []struct {
		env    string
		vendor cpuid.Vendor
		want   bool
	}{{"", cpuid.Intel, true}, {"", cpuid.AMD, false}, {"1", cpuid.AMD, true}, {"0", cpuid.Intel, false}, {"", cpuid.VendorUnknown, false}} {
		if got := avx512Wanted(c.env, c.vendor); got != c.want {
			t.Errorf("avx512Wanted(%q, %v) = %v, want %v", c.env, c.vendor, got, c.want)
		}
	}
}
