//go:build goexperiment.simd && amd64

package kern

import (
	"simd/archsimd"
	"testing"
	"unsafe"
)

// BenchmarkMicroFMA512 times the AVX-512 microkernel's loop alone on
// L1-resident panels (256 steps), for comparison with BenchmarkPeakFMA.
func BenchmarkMicroFMA512(b *testing.B) {
	if !archsimd.X86.AVX512() {
		b.Skip("no AVX-512")
	}
	const kc = 256
	a, bp := alignedFloats(8*kc), alignedFloats(32*kc)
	var t [256]float32
	for b.Loop() {
		fmaTile8x32(kc, unsafe.Pointer(&a[0]), 4, 32, unsafe.Pointer(&bp[0]), 128, unsafe.Pointer(&t), 128, 0, nil)
	}
	b.ReportMetric(2*8*32*kc*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
}
