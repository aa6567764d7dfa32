package nn

import (
	"fmt"
	"math"
)

// HVP computes exact Hessian-vector products H v of the mean softmax
// cross-entropy of a model in Eval mode by Pearlmutter's R-operator: a
// forward-mode directional derivative R{.} = d/de (.)(w + e v) at e = 0
// through every layer, then the backward pass of the gradient and of its
// R{.} together. There is no step size: the result is H v up to float32
// round-off. ReLU masks and max-pool choices are those of w (their
// derivative is zero almost everywhere) and BN uses its running statistics,
// so H is the Hessian that double back-propagation in eval mode gives.
type HVP struct {
	m    *Model
	t    *tangent
	g    *Tensor // dL/dlogits
	rg   *Tensor // R{dL/dlogits}
	zero *Tensor // R{x} of the input: it does not depend on w
}

// NewHVP prepares Hessian-vector products for m. It fails when a layer of
// m has no R-operator (the LM layers).
func NewHVP(m *Model) (*HVP, error) {
	var bad error
	Walk(m.Root, func(l Layer) {
		if _, ok := l.(rLayer); !ok && bad == nil {
			bad = fmt.Errorf("nn: no Hessian-vector product through %T", l)
		}
	})
	if bad != nil {
		return nil, bad
	}
	t := &tangent{v: map[*Param][]float32{}, rin: map[Layer]*Tensor{}, bufs: map[bufKey]*Tensor{}, twins: map[Layer]Layer{}}
	return &HVP{m: m, t: t}, nil
}

// SetDirection sets the direction of p's values to v (len(v) == p.Size());
// nil makes it zero, the default for every parameter.
func (h *HVP) SetDirection(p *Param, v []float32) {
	if v == nil {
		delete(h.t.v, p)
		return
	}
	if len(v) != p.Size() {
		panic(fmt.Sprintf("nn: direction of %s has %d values, want %d", p.Name, len(v), p.Size()))
	}
	h.t.v[p] = v
}

// Batch adds weight * H_b v to the gradient G of every parameter, where H_b
// is the Hessian (with respect to all parameters) of the mean Eval-mode
// cross-entropy of the batch (x, labels), and returns that mean
// cross-entropy. Summing Batch over a partition of a dataset with weights
// n_b/n gives the product for the mean over the dataset. Callers zero G
// first (Model.ZeroGrad); the gradient itself is not accumulated.
func (h *HVP) Batch(x *Tensor, labels []int32, weight float64) float64 {
	logits := h.m.Forward(x, Eval)
	var loss float64
	loss, _, h.g = SoftmaxCE(logits, labels, h.g)
	h.zero = reuse(h.zero, x.Shape...)
	clear(h.zero.Data)
	rz := h.m.Root.rForward(h.zero, h.t)
	h.rg = reuse(h.rg, logits.Shape...)
	softmaxCEHessVec(logits, rz, h.rg)
	w := float32(weight)
	for i := range h.g.Data {
		h.g.Data[i] *= w
		h.rg.Data[i] *= w
	}
	h.m.Root.rBackward(h.g, h.rg, h.t)
	return loss
}

// softmaxCEHessVec writes R{dL/dz} = (diag(p) - p p^T) R{z} / N for the mean
// cross-entropy L of logits z [N, K] (p = softmax(z)), into out.
func softmaxCEHessVec(logits, rz, out *Tensor) {
	n := logits.Shape[0]
	k := len(logits.Data) / n
	p := make([]float64, k)
	for i := range n {
		row, r, o := logits.Data[i*k:(i+1)*k], rz.Data[i*k:(i+1)*k], out.Data[i*k:(i+1)*k]
		mx := row[0]
		for _, v := range row {
			mx = max(mx, v)
		}
		var z, pr float64
		for j, v := range row {
			p[j] = math.Exp(float64(v - mx))
			z += p[j]
		}
		for j := range p {
			p[j] /= z
			pr += p[j] * float64(r[j])
		}
		for j := range p {
			o[j] = float32(p[j] * (float64(r[j]) - pr) / float64(n))
		}
	}
}

// rLayer is a layer with an R-operator. rForward follows the layer's
// Forward and returns R{y} for the input tangent rx; rBackward takes dL/dy
// and R{dL/dy}, adds R{dL/dp} to every parameter's G and returns dL/dx and
// R{dL/dx}. Returned tensors are owned by the layer or the tangent and stay
// valid until the next call.
type rLayer interface {
	rForward(rx *Tensor, t *tangent) *Tensor
	rBackward(dy, rdy *Tensor, t *tangent) (dx, rdx *Tensor)
}

// tangent is the state of one R-operator pass: the parameter directions,
// each layer's input tangent (for rBackward), scratch tensors and the
// parameter-free twins of pooling layers.
type tangent struct {
	v     map[*Param][]float32
	rin   map[Layer]*Tensor
	bufs  map[bufKey]*Tensor
	twins map[Layer]Layer
}

type bufKey struct {
	l    Layer
	slot int
}

// buf returns scratch tensor slot of layer l with the given shape.
func (t *tangent) buf(l Layer, slot int, shape ...int) *Tensor {
	k := bufKey{l, slot}
	b := reuse(t.bufs[k], shape...)
	t.bufs[k] = b
	return b
}

// dir returns p's direction (nil = zero; also for a nil p).
func (t *tangent) dir(p *Param) []float32 {
	if p == nil {
		return nil
	}
	return t.v[p]
}

// rForward runs the layers' R-operators in order.
func (s *Sequential) rForward(rx *Tensor, t *tangent) *Tensor {
	for _, l := range s.Layers {
		rx = l.(rLayer).rForward(rx, t)
	}
	return rx
}

// rBackward runs the layers' R-backward passes in reverse order.
func (s *Sequential) rBackward(dy, rdy *Tensor, t *tangent) (*Tensor, *Tensor) {
	for i := len(s.Layers) - 1; i >= 0; i-- {
		dy, rdy = s.Layers[i].(rLayer).rBackward(dy, rdy, t)
	}
	return dy, rdy
}

// rForward is R{Body(a) + skip} with a = Pre(x).
func (r *Residual) rForward(rx *Tensor, t *tangent) *Tensor {
	ra := r.Pre.rForward(rx, t)
	rskip := rx
	if r.Shortcut != nil {
		rskip = r.Shortcut.rForward(ra, t)
	}
	ry := r.Body.rForward(ra, t)
	out := t.buf(r, 0, ry.Shape...)
	addInto(out.Data, ry.Data, rskip.Data)
	return out
}

// rBackward sends (dy, R{dy}) through both branches and sums at the input.
func (r *Residual) rBackward(dy, rdy *Tensor, t *tangent) (*Tensor, *Tensor) {
	da, rda := r.Body.rBackward(dy, rdy, t)
	if r.Shortcut != nil {
		ds, rds := r.Shortcut.rBackward(dy, rdy, t)
		sum, rsum := t.buf(r, 1, da.Shape...), t.buf(r, 2, da.Shape...)
		addInto(sum.Data, da.Data, ds.Data)
		addInto(rsum.Data, rda.Data, rds.Data)
		return r.Pre.rBackward(sum, rsum, t)
	}
	dx, rdx := r.Pre.rBackward(da, rda, t)
	sum, rsum := t.buf(r, 1, dx.Shape...), t.buf(r, 2, dx.Shape...)
	addInto(sum.Data, dx.Data, dy.Data)
	addInto(rsum.Data, rdx.Data, rdy.Data)
	return sum, rsum
}
