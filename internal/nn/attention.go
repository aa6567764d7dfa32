package nn

import (
	"math"

	"wdlab/internal/kern"
)

// CausalSelfAttention is GPT-2's multi-head attention without biases:
// [q k v] = x Wqkv (c_attn, [Dim, 3 Dim]), per head softmax(q k^T/sqrt(hd))
// masked so position t sees positions <= t, then y Wproj (c_proj, [Dim, Dim]).
// Inputs are [B, T, Dim]. With bf16 on, every matmul operand and the
// attention output are rounded to bf16; the softmax runs in fp32.
type CausalSelfAttention struct {
	Heads, Dim int
	attn, proj *lmLinear
	bf16       bool
	b, t       int
	qkv        *Tensor   // c_attn output [B, T, 3 Dim]
	probs      []float32 // softmax probabilities [B, H, T, T]
	y          *Tensor   // heads concatenated [B, T, Dim]
	dqkv       *Tensor
	scratch    [reduceChunks][2][]float32 // per-chunk T x T buffers
}

// NewCausalSelfAttention allocates the weights named attn ([dim, 3 dim],
// c_attn) and proj ([dim, dim], c_proj), uninitialised. dim must be a
// multiple of heads.
func NewCausalSelfAttention(attn, proj string, dim, heads int) *CausalSelfAttention {
	return &CausalSelfAttention{Heads: heads, Dim: dim,
		attn: newLMLinear(attn, dim, 3*dim), proj: newLMLinear(proj, dim, dim)}
}

func (a *CausalSelfAttention) setBF16(on bool) { a.bf16, a.attn.bf16, a.proj.bf16 = on, on, on }

// chunkScratch returns chunk c's two T x T buffers.
func (a *CausalSelfAttention) chunkScratch(c int) (s0, s1 []float32) {
	n := a.t * a.t
	sc := &a.scratch[c]
	for i := range sc {
		if len(sc[i]) != n {
			sc[i] = make([]float32, n)
		}
	}
	return sc[0], sc[1]
}

// Forward computes the attention output for x [B, T, Dim].
func (a *CausalSelfAttention) Forward(x *Tensor, mode Mode) *Tensor {
	b, t, d, h := x.Shape[0], x.Shape[1], a.Dim, a.Heads
	hd := d / h
	a.b, a.t = b, t
	a.qkv = a.attn.Forward(x, mode)
	if len(a.probs) != b*h*t*t {
		a.probs = make([]float32, b*h*t*t)
	}
	a.y = reuse(a.y, b, t, d)
	scale := float32(1 / math.Sqrt(float64(hd)))
	qkv, y := a.qkv.Data, a.y.Data
	parChunks(b*h, 2, func(c, lo, hi int) {
		pr, _ := a.chunkScratch(c)
		for bh := lo; bh < hi; bh++ {
			bi, hh := bh/h, bh%h
			q := qkv[bi*t*3*d+hh*hd:]
			k, v := q[d:], q[2*d:]
			p := a.probs[bh*t*t : (bh+1)*t*t]
			kern.Gemm(false, true, t, t, hd, scale, q, 3*d, k, 3*d, 0, p, t)
			lmCausalSoftmax(p, t)
			pv := p
			if a.bf16 {
				copy(pr, p)
				kern.RoundBF16(pr)
				pv = pr
			}
			kern.Gemm(false, false, t, hd, t, 1, pv, t, v, 3*d, 0, y[bi*t*d+hh*hd:], d)
		}
	})
	if a.bf16 {
		lmRound(y)
	}
	return a.proj.Forward(a.y, mode)
}

// lmCausalSoftmax replaces each row i of the t x t scores p by the softmax
// of its first i+1 entries and zeros the rest.
func lmCausalSoftmax(p []float32, t int) {
	for i := 0; i < t; i++ {
		row := p[i*t : (i+1)*t]
		mx := row[0]
		for _, v := range row[1 : i+1] {
			mx = max(mx, v)
		}
		inv := 1 / kern.ExpShift(row[:i+1], mx)
		for j := 0; j <= i; j++ {
			row[j] *= inv
		}
		clear(row[i+1:])
	}
}

// Backward accumulates dWqkv, dWproj and returns dL/dx.
func (a *CausalSelfAttention) Backward(dout *Tensor) *Tensor {
	b, t, d, h := a.b, a.t, a.Dim, a.Heads
	hd := d / h
	dy := a.proj.Backward(dout).Data
	a.dqkv = reuse(a.dqkv, b, t, 3*d)
	scale := float32(1 / math.Sqrt(float64(hd)))
	qkv, dqkv := a.qkv.Data, a.dqkv.Data
	parChunks(b*h, 2, func(c, lo, hi int) {
		dp, pr := a.chunkScratch(c)
		for bh := lo; bh < hi; bh++ {
			bi, hh := bh/h, bh%h
			off := bi*t*3*d + hh*hd
			q, k, v := qkv[off:], qkv[off+d:], qkv[off+2*d:]
			dq, dk, dv := dqkv[off:], dqkv[off+d:], dqkv[off+2*d:]
			dyh := dy[bi*t*d+hh*hd:]
			p := a.probs[bh*t*t : (bh+1)*t*t]
			pv := p
			if a.bf16 {
				copy(pr, p)
				kern.RoundBF16(pr)
				pv = pr
			}
			// dV = P^T dY, dP = dY V^T.
			kern.Gemm(true, false, t, hd, t, 1, pv, t, dyh, d, 0, dv, 3*d)
			kern.Gemm(false, true, t, t, hd, 1, dyh, d, v, 3*d, 0, dp, t)
			// dS = P o (dP - rowsum(dP o P)), zero above the diagonal.
			for i := 0; i < t; i++ {
				prow, drow := p[i*t:(i+1)*t], dp[i*t:(i+1)*t]
				var s float32
				for j := 0; j <= i; j++ {
					s += prow[j] * drow[j]
				}
				for j := 0; j <= i; j++ {
					drow[j] = prow[j] * (drow[j] - s)
				}
				clear(drow[i+1:])
			}
			if a.bf16 {
				kern.RoundBF16(dp)
			}
			// dQ = scale dS K, dK = scale dS^T Q.
			kern.Gemm(false, false, t, hd, t, scale, dp, t, k, 3*d, 0, dq, 3*d)
			kern.Gemm(true, false, t, hd, t, scale, dp, t, q, 3*d, 0, dk, 3*d)
		}
	})
	if a.bf16 {
		lmRound(dqkv)
	}
	return a.attn.Backward(a.dqkv)
}

// Params returns c_attn then c_proj.
func (a *CausalSelfAttention) Params() []*Param { return []*Param{a.attn.W, a.proj.W} }
