//go:build goexperiment.simd && amd64

package kern

import (
	"simd/archsimd"
	"testing"
	"unsafe"
)

// BenchmarkMicroFMA256 times the AVX2 microkernel's loop alone on
// L1-resident panels (256 steps), for comparison with BenchmarkPeakFMA.
func BenchmarkMicroFMA256(b *testing.B) {
	if !archsimd.X86.AVX2() || !archsimd.X86.FMA() {
		b.Skip("no AVX2 and FMA")
	}
	const kc = 256
	a, bp := alignedFloats(6*kc), alignedFloats(16*kc)
	var t [6 * 16]float32
	for b.Loop() {
		fmaTile6x16(kc, unsafe.Pointer(&a[0]), 4, 24, unsafe.Pointer(&bp[0]), 64, unsafe.Pointer(&t), 64, 0, nil)
	}
	b.ReportMetric(2*6*16*kc*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
}
