//go:build goexperiment.simd && amd64

package kern

import (
	"simd/archsimd"
	"testing"
)

// peakFMA runs n iterations of ten independent 8-wide FMA chains (enough to
// cover the FMA latency on two pipes) and returns a value depending on all
// of them, so nothing is optimized away. Distinct starting values keep the
// compiler from merging the chains.
func peakFMA(n int) float32 {
	m := archsimd.BroadcastFloat32x8(0.999999)
	x := archsimd.BroadcastFloat32x8(1e-7)
	c0, c1 := archsimd.BroadcastFloat32x8(0), archsimd.BroadcastFloat32x8(1)
	c2, c3 := archsimd.BroadcastFloat32x8(2), archsimd.BroadcastFloat32x8(3)
	c4, c5 := archsimd.BroadcastFloat32x8(4), archsimd.BroadcastFloat32x8(5)
	c6, c7 := archsimd.BroadcastFloat32x8(6), archsimd.BroadcastFloat32x8(7)
	c8, c9 := archsimd.BroadcastFloat32x8(8), archsimd.BroadcastFloat32x8(9)
	for i := 0; i < n; i++ {
		c0 = c0.MulAdd(m, x)
		c1 = c1.MulAdd(m, x)
		c2 = c2.MulAdd(m, x)
		c3 = c3.MulAdd(m, x)
		c4 = c4.MulAdd(m, x)
		c5 = c5.MulAdd(m, x)
		c6 = c6.MulAdd(m, x)
		c7 = c7.MulAdd(m, x)
		c8 = c8.MulAdd(m, x)
		c9 = c9.MulAdd(m, x)
	}
	var out [8]float32
	c0.Add(c1).Add(c2).Add(c3).Add(c4).Add(c5).Add(c6).Add(c7).Add(c8).Add(c9).Store(&out)
	archsimd.ClearAVXUpperBits()
	return out[0]
}

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
