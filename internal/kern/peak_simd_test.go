//go:build goexperiment.simd && amd64

package kern

import (
	"simd/archsimd"
	"testing"
	"time"
)

var peakSink float32

// BenchmarkPeakFMA measures one core's AVX2 FMA peak: 2 FMA pipes x 8 lanes
// x 2 FLOPs x clock. Run it with GOMAXPROCS=1 (and taskset) for one core.
func BenchmarkPeakFMA(b *testing.B) {
	if !archsimd.X86.FMA() {
		b.Skip("no FMA")
	}
	const n = 1 << 16
	cpu0 := processCPUTime()
	for b.Loop() {
		peakSink = peakFMA(n)
	}
	reportGFLOPs(b, n*10*8*2, processCPUTime()-cpu0)
}

// BenchmarkPeakFMAParallel runs peakFMA on GOMAXPROCS goroutines at once:
// the aggregate FMA peak the machine actually grants right now, which is
// the ceiling for the multi-core Gemm numbers.
func BenchmarkPeakFMAParallel(b *testing.B) {
	if !archsimd.X86.FMA() {
		b.Skip("no FMA")
	}
	const n = 1 << 16
	cpu0 := processCPUTime()
	b.RunParallel(func(pb *testing.PB) {
		var s float32
		for pb.Next() {
			s += peakFMA(n)
		}
		peakSink = s
	})
	reportGFLOPs(b, n*10*8*2, processCPUTime()-cpu0)
}

// FMAPeak names the ISA of the faster loop and gives a positive rate.
func TestFMAPeakMeasures(t *testing.T) {
	if !archsimd.X86.FMA() {
		t.Skip("no FMA")
	}
	g, isa := FMAPeak(1, 20*time.Millisecond)
	if g <= 0 || (isa != "AVX2+FMA" && isa != "AVX-512") || (isa == "AVX-512" && !archsimd.X86.AVX512()) {
		t.Errorf("FMAPeak = %v GFLOP/s, %q", g, isa)
	}
}
