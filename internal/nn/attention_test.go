package nn

import (
	"math"
	"math/rand/v2"
	"testing"
)

// lmNaiveAttention is a float64 reference of CausalSelfAttention.Forward.
func lmNaiveAttention(x, wqkv, wproj []float32, b, t, d, h int) []float64 {
	hd := d / h
	qkv := make([]float64, b*t*3*d)
	for r := 0; r < b*t; r++ {
		for o := 0; o < 3*d; o++ {
			for i := 0; i < d; i++ {
				qkv[r*3*d+o] += float64(x[r*d+i]) * float64(wqkv[i*3*d+o])
			}
		}
	}
	y := make([]float64, b*t*d)
	for bi := 0; bi < b; bi++ {
		for hh := 0; hh < h; hh++ {
			for i := 0; i < t; i++ {
				q := qkv[(bi*t+i)*3*d+hh*hd:]
				s := make([]float64, i+1)
				mx := math.Inf(-1)
				for j := 0; j <= i; j++ {
					k := qkv[(bi*t+j)*3*d+d+hh*hd:]
					for c := 0; c < hd; c++ {
						s[j] += q[c] * k[c]
					}
					s[j] /= math.Sqrt(float64(hd))
					mx = math.Max(mx, s[j])
				}
				var z float64
				for j := range s {
					s[j] = math.Exp(s[j] - mx)
					z += s[j]
				}
				for j := range s {
					v := qkv[(bi*t+j)*3*d+2*d+hh*hd:]
					for c := 0; c < hd; c++ {
						y[(bi*t+i)*d+hh*hd+c] += s[j] / z * v[c]
					}
				}
			}
		}
	}
	out := make([]float64, b*t*d)
	for r := 0; r < b*t; r++ {
		for o := 0; o < d; o++ {
			for i := 0; i < d; i++ {
				out[r*d+o] += y[r*d+i] * float64(wproj[i*d+o])
			}
		}
	}
	return out
}

func lmAttention(rng *rand.Rand, d, h int) *CausalSelfAttention {
	a := NewCausalSelfAttention("attn.c_attn.weight", "attn.c_proj.weight", d, h)
	lmFill(rng, a.attn.W.W, 0.4)
	lmFill(rng, a.proj.W.W, 0.4)
	return a
}

func TestAttentionMatchesReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 1))
	const b, tt, d, h = 2, 7, 12, 3
	a := lmAttention(rng, d, h)
	x := lmRand(rng, 1, b, tt, d)
	got := a.Forward(x, Train)
	want := lmNaiveAttention(x.Data, a.attn.W.W, a.proj.W.W, b, tt, d, h)
	for i, w := range want {
		if math.Abs(float64(got.Data[i])-w) > 1e-5*(1+math.Abs(w)) {
			t.Fatalf("out[%d] = %v, reference %v", i, got.Data[i], w)
		}
	}
	ps := a.Params()
	if ps[0].Name != "attn.c_attn.weight" || ps[1].Name != "attn.c_proj.weight" || ps[0].Shape[1] != 3*d {
		t.Fatalf("params %s %v, %s", ps[0].Name, ps[0].Shape, ps[1].Name)
	}
}

func TestAttentionGradient(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 2))
	a := lmAttention(rng, 8, 2)
	lmCheckLayer(t, "attention", a, lmRand(rng, 1, 2, 5, 8))
}

func TestAttentionIsCausal(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 3))
	const b, tt, d = 2, 6, 8
	a := lmAttention(rng, d, 2)
	x := lmRand(rng, 1, b, tt, d)
	y0 := append([]float32(nil), a.Forward(x, Train).Data...)
	const cut = 3 // change every position after cut in both sequences
	for bi := 0; bi < b; bi++ {
		for i := (bi*tt + cut + 1) * d; i < (bi+1)*tt*d; i++ {
			x.Data[i] += 1
		}
	}
	y1 := a.Forward(x, Train).Data
	for bi := 0; bi < b; bi++ {
		for i := bi * tt * d; i < (bi+1)*tt*d; i++ {
			pos := i/d - bi*tt
			if pos <= cut && y1[i] != y0[i] {
				t.Fatalf("position %d changed when only later tokens changed", pos)
			}
			if pos == tt-1 && y1[i] == y0[i] {
				t.Fatalf("position %d did not change although its input did", pos)
			}
		}
	}
}
