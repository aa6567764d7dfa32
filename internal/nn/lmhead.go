package nn

import (
	"math"

	"wdlab/internal/kern"
)

// LMHead is the tied output layer: logits = x Wte^T for x [..., Dim] and the
// embedding matrix Wte [Vocab, Dim]; its gradient accumulates into the same
// Wte.G as the embedding's. With bf16 on, x and Wte enter the matmul
// rounded, and the logits, dL/dx and the Wte gradient are rounded to bf16.
type LMHead struct {
	Wte     *Param
	bf16    bool
	xs, ws  []float32
	xr, wr  []float32
	dyr, gw []float32
	xShape  []int
	out, dx *Tensor
}

// NewLMHead returns a head that shares wte ([Vocab, Dim]).
func NewLMHead(wte *Param) *LMHead { return &LMHead{Wte: wte} }

func (h *LMHead) dims() (vocab, dim int) { return h.Wte.Shape[0], h.Wte.Shape[1] }

// Forward returns the logits [..., Vocab].
func (h *LMHead) Forward(x *Tensor, _ Mode) *Tensor {
	v, d := h.dims()
	n := len(x.Data) / d
	h.xShape = x.Shape
	h.xs, h.ws = x.Data, h.Wte.W
	if h.bf16 {
		h.xr = lmRoundCopy(h.xr, x.Data)
		h.wr = lmRoundCopy(h.wr, h.Wte.W)
		h.xs, h.ws = h.xr, h.wr
	}
	shape := append(append([]int(nil), x.Shape[:len(x.Shape)-1]...), v)
	h.out = reuse(h.out, shape...)
	kern.Gemm(false, true, n, v, d, 1, h.xs, d, h.ws, d, 0, h.out.Data, v)
	if h.bf16 {
		lmRound(h.out.Data)
	}
	return h.out
}

// Backward accumulates dWte += dlogits^T x and returns dx = dlogits Wte.
func (h *LMHead) Backward(dlogits *Tensor) *Tensor {
	v, d := h.dims()
	n := len(h.xs) / d
	dys := dlogits.Data
	if h.bf16 {
		h.dyr = lmRoundCopy(h.dyr, dlogits.Data)
		dys = h.dyr
		if len(h.gw) != len(h.Wte.G) {
			h.gw = make([]float32, len(h.Wte.G))
		}
		kern.Gemm(true, false, v, d, n, 1, dys, v, h.xs, d, 0, h.gw, d)
		lmRound(h.gw)
		lmAddTo(h.Wte.G, h.gw)
	} else {
		kern.Gemm(true, false, v, d, n, 1, dys, v, h.xs, d, 1, h.Wte.G, d)
	}
	h.dx = reuse(h.dx, h.xShape...)
	kern.Gemm(false, false, n, d, v, 1, dys, v, h.ws, d, 0, h.dx.Data, d)
	if h.bf16 {
		lmRound(h.dx.Data)
	}
	return h.dx
}

// Params returns the tied Wte (also listed by the Embedding).
func (h *LMHead) Params() []*Param { return []*Param{h.Wte} }

// LMCrossEntropy returns the mean token-level softmax cross-entropy of
// logits [..., Vocab] against targets (one per row), the number of rows
// whose argmax differs from the target, and dL/dlogits = (softmax -
// onehot)/rows. To save memory the gradient is written over the logits:
// dlogits shares logits' storage, so read what you need from logits first.
// The sums run in float64 over fixed chunks, so the result does not depend
// on the number of cores.
func LMCrossEntropy(logits *Tensor, targets []int32) (loss float64, nErr int, dlogits *Tensor) {
	rows := len(targets)
	v := len(logits.Data) / rows
	invN := 1 / float64(rows)
	var losses [reduceChunks]float64
	var errs [reduceChunks]int
	parChunks(rows, 16, func(c, lo, hi int) {
		for r := lo; r < hi; r++ {
			row := logits.Data[r*v : (r+1)*v]
			y := int(targets[r])
			mx, arg := row[0], 0
			for j, x := range row {
				if x > mx {
					mx, arg = x, j
				}
			}
			if arg != y {
				errs[c]++
			}
			logitY := row[y]
			var z float64
			for j, x := range row {
				e := math.Exp(float64(x - mx))
				row[j] = float32(e)
				z += e
			}
			losses[c] += math.Log(z) - float64(logitY-mx)
			inv := float32(invN / z)
			for j := range row {
				row[j] *= inv
			}
			row[y] -= float32(invN)
		}
	})
	for c := range losses {
		loss += losses[c]
		nErr += errs[c]
	}
	return loss * invN, nErr, logits
}
