package probe

import (
	"math"

	"wdlab/internal/data"
	"wdlab/internal/nn"
)

// Noise holds the noise-scale statistics of the paper's Fig. 4 as sums over N
// examples (the multi-class analogue of the paper's l', the derivative of
// the loss with respect to the model output): EllPrime2 sums
// ||softmax(f(x_i)) - e_{y_i}||^2 and OneMinusPy sums 1 - p_{y_i}.
type Noise struct {
	EllPrime2, OneMinusPy float64
	N                     int
}

// Add folds the examples of a batch of logits [n, K] with their labels
// into s.
func (s *Noise) Add(logits *nn.Tensor, labels []int32) {
	n := logits.Shape[0]
	k := len(logits.Data) / n
	for i := range n {
		row := logits.Data[i*k : (i+1)*k]
		mx := row[0]
		for _, v := range row {
			mx = max(mx, v)
		}
		var z float64
		for _, v := range row {
			z += math.Exp(float64(v - mx))
		}
		y := int(labels[i])
		for j, v := range row {
			p := math.Exp(float64(v-mx)) / z
			if j == y {
				s.OneMinusPy += 1 - p
				p--
			}
			s.EllPrime2 += p * p
		}
	}
	s.N += n
}

// MeanEllPrime2 is the noise scale (1/n) sum_i ||softmax - onehot||^2.
func (s Noise) MeanEllPrime2() float64 { return s.EllPrime2 / float64(s.N) }

// MeanOneMinusPy is (1/n) sum_i (1 - p_{y_i}).
func (s Noise) MeanOneMinusPy() float64 { return s.OneMinusPy / float64(s.N) }

// NoiseScale measures the noise statistics of m in eval mode over all of d.
func NoiseScale(m *nn.Model, d *data.Dataset, batch int) Noise {
	var s Noise
	forEachBatch(d, batch, func(x *nn.Tensor, y []int32) { s.Add(m.Forward(x, nn.Eval), y) })
	return s
}

// forEachBatch visits all examples of d in order, in batches of at most
// batch examples. The tensor and labels passed to fn are reused.
func forEachBatch(d *data.Dataset, batch int, fn func(x *nn.Tensor, y []int32)) {
	dim := d.Dim()
	x := nn.NewTensor(batch, d.H, d.W, d.C)
	y := make([]int32, batch)
	idx := make([]int, batch)
	for _, r := range data.EvalBatches(d.N, batch) {
		n := r[1] - r[0]
		for i := range n {
			idx[i] = r[0] + i
		}
		xb := &nn.Tensor{Shape: []int{n, d.H, d.W, d.C}, Data: x.Data[:n*dim]}
		d.Gather(idx[:n], xb.Data, y[:n])
		fn(xb, y[:n])
	}
}
