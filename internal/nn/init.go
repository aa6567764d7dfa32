package nn

import (
	"math"
	"math/rand/v2"
)

// Init fills every parameter from a PCG stream seeded with seed, in
// parameter order: conv/linear weights follow the op's Init rule, biases
// PyTorch's uniform(+-1/sqrt(fan_in)) (zero for "normal_fan_out"), BN gamma
// 1 and beta 0.
func (m *Model) Init(seed uint64) {
	rng := rand.New(rand.NewPCG(seed, 0x77646c6162))
	Walk(m.Root, func(l Layer) {
		switch v := l.(type) {
		case *Conv2D:
			initDense(rng, v.W, v.B, v.K*v.K*v.Cin, v.K*v.K*v.Cout, v.InitRule)
		case *Linear:
			initDense(rng, v.W, v.B, v.In, v.Out, "")
		case *BatchNorm:
			if v.Gamma != nil {
				for i := range v.Gamma.W {
					v.Gamma.W[i] = 1
				}
				clear(v.Beta.W)
			}
			v.ResetStats()
		}
	})
}

// initDense initialises a weight/bias pair: PyTorch's Kaiming-uniform with
// a = sqrt(5) (bound 1/sqrt(fan_in)) by default, N(0, 2/fanOut) for
// "normal_fan_out" with a zero bias.
func initDense(rng *rand.Rand, w, b *Param, fanIn, fanOut int, rule string) {
	if rule == "normal_fan_out" {
		std := math.Sqrt(2 / float64(fanOut))
		for i := range w.W {
			w.W[i] = float32(rng.NormFloat64() * std)
		}
		if b != nil {
			clear(b.W)
		}
		return
	}
	bound := 1 / math.Sqrt(float64(fanIn))
	for i := range w.W {
		w.W[i] = float32((2*rng.Float64() - 1) * bound)
	}
	if b != nil {
		for i := range b.W {
			b.W[i] = float32((2*rng.Float64() - 1) * bound)
		}
	}
}
