package xla

import (
	. "github.com/gomlx/gomlx/core/graph" //nolint:revive // graph-building code reads best unqualified
)

// The GPT graph functions take their inputs as one slice:
//
//	trainGraph: state (layout order), ids, targets, step scalars, clip
//	            -> updated state, loss, pre-clip grad norm, decayed-group norm
//	gradGraph:  params, ids, targets -> loss, grads of the trainable params
//	evalGraph:  params, ids, targets -> loss, wrong arg-max count

// net returns the forward builder over the first len(specs) inputs.
func (e *GPTExecutor) net(in []*Node) *gptNet {
	g := &gptNet{cfg: e.cfg, bf16: e.bf16, vals: make(map[string]*Node, len(e.lay.specs))}
	for i, s := range e.lay.specs {
		g.vals[s.name] = in[i]
	}
	return g
}

func (e *GPTExecutor) trainGraph(in []*Node) []*Node {
	lay := e.lay
	ns := lay.size()
	ids, tgt := in[ns], in[ns+1]
	sc := scalarNodesFrom(in[ns+2:])
	clip := in[ns+2+numStepScalars]
	loss, _ := lmLoss(e.net(in).logits(ids), tgt)
	grads := Gradient(loss, trainableNodes(lay, in)...)
	norm := Sqrt(sumSquares(grads))
	// optim.ClipGradNorm: scale by clip/(norm+1e-6) when norm > clip.
	scale := Where(GreaterThan(norm, clip), Div(clip, AddScalar(norm, 1e-6)), OnesLike(norm))
	for j := range grads {
		grads[j] = Mul(grads[j], scale)
	}
	next := applyUpdates(lay, e.opt, in, grads, sc)
	if lay.ema {
		mixEMA(lay, e.emaBeta, in, next)
	}
	var decayed []*Node
	for _, i := range lay.weights {
		if lay.specs[i].decay {
			decayed = append(decayed, next[i])
		}
	}
	decayedNorm := ScalarZero(ids.Graph(), loss.DType())
	if len(decayed) > 0 {
		decayedNorm = Sqrt(sumSquares(decayed))
	}
	return append(updatedNodes(lay, next), loss, norm, decayedNorm)
}

func (e *GPTExecutor) gradGraph(in []*Node) []*Node {
	np := len(e.lay.specs)
	loss, _ := lmLoss(e.net(in).logits(in[np]), in[np+1])
	return append([]*Node{loss}, Gradient(loss, trainableNodes(e.lay, in)...)...)
}

func (e *GPTExecutor) evalGraph(in []*Node) []*Node {
	np := len(e.lay.specs)
	loss, wrong := lmLoss(e.net(in).logits(in[np]), in[np+1])
	return []*Node{loss, wrong}
}

// sumSquares is the sum of the squares of every element of xs.
func sumSquares(xs []*Node) *Node {
	var s *Node
	for _, x := range xs {
		t := ReduceAllSum(Square(x))
		if s == nil {
			s = t
		} else {
			s = Add(s, t)
		}
	}
	return s
}
