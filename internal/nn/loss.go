package nn

import "math"

// SoftmaxCE returns the mean softmax cross-entropy of logits [N, K] against
// labels, the number of argmax errors, and dL/dlogits = (softmax - onehot)/N
// written into grad (allocated when nil or mis-sized).
func SoftmaxCE(logits *Tensor, labels []int32, grad *Tensor) (loss float64, nErr int, g *Tensor) {
	n := logits.Shape[0]
	k := len(logits.Data) / n
	g = reuse(grad, n, k)
	invN := 1 / float64(n)
	for i := 0; i < n; i++ {
		row := logits.Data[i*k : (i+1)*k]
		y := int(labels[i])
		mx, arg := row[0], 0
		for j, v := range row {
			if v > mx {
				mx, arg = v, j
			}
		}
		if arg != y {
			nErr++
		}
		var z float64
		for _, v := range row {
			z += math.Exp(float64(v - mx))
		}
		loss += math.Log(z) - float64(row[y]-mx)
		gr := g.Data[i*k : (i+1)*k]
		for j, v := range row {
			p := math.Exp(float64(v-mx)) / z
			if j == y {
				p--
			}
			gr[j] = float32(p * invN)
		}
	}
	return loss * invN, nErr, g
}
