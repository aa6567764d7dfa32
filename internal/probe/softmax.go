package probe

import (
	"math"

	"wdlab/internal/data"
	"wdlab/internal/nn"
)

// Probs is a row-major [N, K] matrix of class probabilities.
type Probs struct {
	N, K int
	P    []float64
}

// Softmax returns the eval-mode softmax outputs of m on all of d.
func Softmax(m *nn.Model, d *data.Dataset, batch int) Probs {
	out := Probs{N: d.N, K: m.Desc.Classes}
	off := 0
	forEachBatch(d, batch, func(x *nn.Tensor, _ []int32) {
		logits := m.Forward(x, nn.Eval)
		n := logits.Shape[0]
		k := len(logits.Data) / n
		if out.P == nil {
			out.K = k
			out.P = make([]float64, d.N*k)
		}
		for i := range n {
			softmaxRow(logits.Data[i*k:(i+1)*k], out.P[off:off+k])
			off += k
		}
	})
	return out
}

// softmaxRow writes softmax(logits) into p.
func softmaxRow(logits []float32, p []float64) {
	mx := logits[0]
	for _, v := range logits {
		mx = max(mx, v)
	}
	var z float64
	for j, v := range logits {
		p[j] = math.Exp(float64(v - mx))
		z += p[j]
	}
	for j := range p {
		p[j] /= z
	}
}

// Average returns the element-wise mean of equally shaped probability
// matrices (the snapshot-ensemble prediction of the paper's Tables 2-3).
func Average(ps []Probs) Probs {
	out := Probs{N: ps[0].N, K: ps[0].K, P: make([]float64, len(ps[0].P))}
	for _, p := range ps {
		for i, v := range p.P {
			out.P[i] += v
		}
	}
	for i := range out.P {
		out.P[i] /= float64(len(ps))
	}
	return out
}

// ErrorRate is the fraction of rows whose argmax differs from the label.
func (p Probs) ErrorRate(labels []int32) float64 {
	wrong := 0
	for i := range p.N {
		row := p.P[i*p.K : (i+1)*p.K]
		arg := 0
		for j, v := range row {
			if v > row[arg] {
				arg = j
			}
		}
		if int32(arg) != labels[i] {
			wrong++
		}
	}
	return float64(wrong) / float64(p.N)
}

// CE is the mean of -log p_{y_i}.
func (p Probs) CE(labels []int32) float64 {
	var s float64
	for i := range p.N {
		s -= math.Log(max(p.P[i*p.K+int(labels[i])], 1e-300))
	}
	return s / float64(p.N)
}

// MeanTVD is the mean over rows of the total-variation distance
// (1/2) sum_k |p_k - q_k| between two equally shaped probability matrices.
func MeanTVD(p, q Probs) float64 {
	var s float64
	for i, v := range p.P {
		s += math.Abs(v - q.P[i])
	}
	return s / 2 / float64(p.N)
}
