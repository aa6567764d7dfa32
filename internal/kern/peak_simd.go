//go:build goexperiment.simd && amd64

package kern

import (
	"simd/archsimd"
	"sync"
	"time"
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

// peakFMA16 is peakFMA with 16-wide (AVX-512) chains.
func peakFMA16(n int) float32 {
	m := archsimd.BroadcastFloat32x16(0.999999)
	x := archsimd.BroadcastFloat32x16(1e-7)
	c0, c1 := archsimd.BroadcastFloat32x16(0), archsimd.BroadcastFloat32x16(1)
	c2, c3 := archsimd.BroadcastFloat32x16(2), archsimd.BroadcastFloat32x16(3)
	c4, c5 := archsimd.BroadcastFloat32x16(4), archsimd.BroadcastFloat32x16(5)
	c6, c7 := archsimd.BroadcastFloat32x16(6), archsimd.BroadcastFloat32x16(7)
	c8, c9 := archsimd.BroadcastFloat32x16(8), archsimd.BroadcastFloat32x16(9)
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
	var out [16]float32
	c0.Add(c1).Add(c2).Add(c3).Add(c4).Add(c5).Add(c6).Add(c7).Add(c8).Add(c9).Store(&out)
	archsimd.ClearAVXUpperBits()
	return out[0]
}

// FMAPeak measures the fp32 FMA rate (GFLOP/s) that threads goroutines
// reach together in loops of independent FMAs, with 8-wide (AVX2) and,
// where the CPU has it, 16-wide (AVX-512) vectors, each for about d, and
// returns the faster and its ISA. Without FMA it returns 0, "".
func FMAPeak(threads int, d time.Duration) (gflops float64, isa string) {
	if !archsimd.X86.FMA() {
		return 0, ""
	}
	gflops, isa = fmaRate(threads, d, peakFMA, 8), "AVX2+FMA"
	if archsimd.X86.AVX512() {
		if r := fmaRate(threads, d, peakFMA16, 16); r > gflops {
			gflops, isa = r, "AVX-512"
		}
	}
	return gflops, isa
}

// fmaSink keeps the loops' results alive.
var fmaSink [64]float32

// fmaRate runs loop on threads goroutines for about d and returns the
// aggregate GFLOP/s (10 chains x lanes x 2 FLOP per iteration).
func fmaRate(threads int, d time.Duration, loop func(int) float32, lanes int) float64 {
	const n = 1 << 14
	var wg sync.WaitGroup
	iters := make([]int, threads)
	start := time.Now()
	for g := range threads {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Since(start) < d {
				fmaSink[g%len(fmaSink)] += loop(n)
				iters[g] += n
			}
		}()
	}
	wg.Wait()
	total := 0
	for _, it := range iters {
		total += it
	}
	return float64(total) * 10 * float64(lanes) * 2 / time.Since(start).Seconds() / 1e9
}
