package kern

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"
)

// gemmBenchShape is one benchmarked GEMM in the conv notation M x K x N.
type gemmBenchShape struct {
	role    string // fwd: [M,K]x[K,N]; dW: [M,K]^T x [M,N]; dX: [M,N] x [K,N]^T
	M, K, N int
}

// gemmBenchShapes are the conv layers of PreAct-ResNet-18 (width 16, batch
// 128, CIFAR), the GPT projections and attention, and a square reference.
var gemmBenchShapes = func() []gemmBenchShape {
	var s []gemmBenchShape
	for _, c := range [][3]int{{131072, 27, 16}, {131072, 144, 16}, {32768, 288, 32}, {8192, 576, 64}, {2048, 1152, 128}, {32768, 16, 32}} {
		for _, role := range []string{"fwd", "dW", "dX"} {
			s = append(s, gemmBenchShape{role, c[0], c[1], c[2]})
		}
	}
	for _, n := range []int{384, 128, 512, 256} {
		s = append(s, gemmBenchShape{"fwd", 2048, 128, n})
	}
	s = append(s, gemmBenchShape{"attnQK", 128, 32, 128}, gemmBenchShape{"attnPV", 128, 128, 32})
	return append(s, gemmBenchShape{"square", 1024, 1024, 1024})
}()

// gemmArgs returns the Gemm arguments (transA, transB, m, n, k) of a shape.
func (s gemmBenchShape) gemmArgs() (bool, bool, int, int, int) {
	switch s.role {
	case "dW":
		return true, false, s.K, s.N, s.M
	case "dX", "attnQK":
		return false, true, s.M, s.K, s.N
	}
	return false, false, s.M, s.N, s.K
}

func BenchmarkGemm(b *testing.B) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, s := range gemmBenchShapes {
		tA, tB, m, n, k := s.gemmArgs()
		b.Run(fmt.Sprintf("%s_%dx%dx%d", s.role, s.M, s.K, s.N), func(b *testing.B) {
			lda, ldb := k, n
			if tA {
				lda = m
			}
			if tB {
				ldb = k
			}
			a, bm, c := randFloats(rng, m*k), randFloats(rng, k*n), make([]float32, m*n)
			Gemm(tA, tB, m, n, k, 1, a, lda, bm, ldb, 0, c, n)
			cpu0 := processCPUTime()
			b.ResetTimer()
			for b.Loop() {
				Gemm(tA, tB, m, n, k, 1, a, lda, bm, ldb, 0, c, n)
			}
			reportGFLOPs(b, 2*float64(m)*float64(n)*float64(k), processCPUTime()-cpu0)
		})
	}
}

// reportGFLOPs reports the wall-clock rate (GFLOP/s) and the rate per second
// of process CPU time (cpu-GFLOP/s); on a busy machine the second one still
// measures per-core efficiency, since waiting for a core costs no CPU time.
func reportGFLOPs(b *testing.B, flopsPerOp float64, cpu time.Duration) {
	total := flopsPerOp * float64(b.N)
	b.ReportMetric(total/b.Elapsed().Seconds()/1e9, "GFLOP/s")
	if cpu > 0 {
		b.ReportMetric(total/cpu.Seconds()/1e9, "cpu-GFLOP/s")
	}
}
