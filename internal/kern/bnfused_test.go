package kern

import (
	"math"
	"math/rand/v2"
	"testing"
)

// The fused batch-norm kernels give, bit for bit, plain float64 loops for
// the moments and what the unfused chain gives: BNForwardRows then ReLU
// forward; ReLUGrad, per-channel float64
// sums in row order on the stored xhat and BNBackwardRows backward; on
// the SIMD widths (8, 16 channels) and the scalar path, with and without
// the ReLU.
func TestBNFusedMatchesChain(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	vec := func(n int, scale float64) []float32 {
		v := make([]float32, n)
		for i := range v {
			v[i] = float32(rng.NormFloat64() * scale)
		}
		return v
	}
	for _, c := range []int{3, 8, 16} {
		for _, relu := range []bool{false, true} {
			rows := 29
			n := rows * c
			x, dy := vec(n, 2), vec(n, 1)
			mean, invStd, scale, shift := vec(c, 1), vec(c, 1), vec(c, 1), vec(c, 1)
			k, mdy, mdx := vec(c, 1), vec(c, 0.1), vec(c, 0.1)
			sum0, sq0 := make([]float64, c), make([]float64, c)
			BNMoments(sum0, sq0, x, c)
			for j := range c {
				s, q := 0.0, 0.0
				for r := range rows {
					v := float64(x[r*c+j])
					s += v
					q += v * v
				}
				if math.Float64bits(sum0[j]) != math.Float64bits(s) || math.Float64bits(sq0[j]) != math.Float64bits(q) {
					t.Fatalf("c %d: moments of channel %d: %v %v, want %v %v", c, j, sum0[j], sq0[j], s, q)
				}
			}
			xhat, want := make([]float32, n), make([]float32, n)
			BNForwardRows(xhat, want, x, c, mean, invStd, scale, shift)
			if relu {
				ReLU(want, want)
			}
			out := make([]float32, n)
			BNNormalize(out, x, c, scale, shift, relu)
			sameBits(t, c, relu, "out", out, want)

			g := append([]float32(nil), dy...)
			if relu {
				ReLUGrad(g, dy, want)
			}
			wantSum, wantProd := make([]float64, c), make([]float64, c)
			for j := range c {
				for r := range rows {
					d := float64(g[r*c+j])
					wantSum[j] += d
					wantProd[j] += d * float64(xhat[r*c+j])
				}
			}
			sum, prod := make([]float64, c), make([]float64, c)
			nm := Norm{Mean: mean, InvStd: invStd, Scale: scale, Shift: shift}
			BNGradSums(sum, prod, dy, x, c, nm, 0, relu)
			for j := range c {
				if math.Float64bits(sum[j]) != math.Float64bits(wantSum[j]) || math.Float64bits(prod[j]) != math.Float64bits(wantProd[j]) {
					t.Fatalf("c %d relu %v: sums of channel %d: %v %v, want %v %v", c, relu, j, sum[j], prod[j], wantSum[j], wantProd[j])
				}
			}
			wantDx, dx := make([]float32, n), make([]float32, n)
			BNBackwardRows(wantDx, g, xhat, c, k, mdy, mdx)
			BNInputGrad(dx, dy, x, c, nm, 0, k, mdy, mdx, relu)
			sameBits(t, c, relu, "dx", dx, wantDx)
		}
	}
}

func sameBits(t *testing.T, c int, relu bool, what string, got, want []float32) {
	t.Helper()
	for i := range want {
		if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
			t.Fatalf("c %d relu %v: %s[%d] = %v, want %v", c, relu, what, i, got[i], want[i])
		}
	}
}
