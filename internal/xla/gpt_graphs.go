package xla

import (
	. "github.com/gomlx/gomlx/core/graph" //nolint:revive // graph-building code reads best unqualified
)

// The GPT graph functions take their inputs as one slice:
//
//	trainGraph: state (layout order), ids, targets, step scalars, clip
//	            -> updated state, pre-clip grad norm, decayed-group norm, loss
//	firstGraph: params, ids, targets, 1/k -> grads/k, loss
//	accumGraph: params, acc, ids, targets, 1/k -> acc + grads/k, loss
//	applyGraph: state, acc, step scalars, clip
//	            -> updated state, pre-clip grad norm, decayed-group norm
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
	ns := e.lay.size()
	loss, _ := lmLoss(e.net(in).logits(in[ns]), in[ns+1])
	grads := Gradient(loss, trainableNodes(e.lay, in)...)
	return append(e.clipAndUpdate(in, grads, in[ns+2:]), loss)
}

// clipAndUpdate adds Adam+L2's penalty to grads (aligned with
// lay.trainable), clips them to the global
// norm given after the step scalars in scalars, then applies the optimizer
// and EMA to the state in. It returns the rewritten state entries, the
// pre-clip gradient norm and the decayed group's norm after the update.
func (e *GPTExecutor) clipAndUpdate(in, grads, scalars []*Node) []*Node {
	lay := e.lay
	sc := scalarNodesFrom(scalars)
	clip := scalars[numStepScalars]
	opt := e.opt
	if opt.adam && opt.l2 {
		// optim.AdamW.AddPenalty: Adam+L2's term enters the gradient
		// before clipping and counts in its norm.
		grads = append([]*Node(nil), grads...)
		for j, i := range lay.trainable {
			if lay.specs[i].decay {
				grads[j] = Add(grads[j], Mul(sc.wd, in[i]))
			}
		}
		opt.penalized = true
	}
	norm := Sqrt(sumSquares(grads))
	// optim.ClipGradNorm: scale by clip/(norm+1e-6) when norm > clip.
	scale := Where(GreaterThan(norm, clip), Div(clip, AddScalar(norm, 1e-6)), OnesLike(norm))
	clipped := make([]*Node, len(grads))
	for j, g := range grads {
		clipped[j] = Mul(g, scale)
	}
	next := applyUpdates(lay, opt, in, clipped, sc)
	if lay.ema {
		mixEMA(lay, e.emaBeta, in, next)
	}
	var decayed []*Node
	for _, i := range lay.weights {
		if lay.specs[i].decay {
			decayed = append(decayed, next[i])
		}
	}
	decayedNorm := ZerosLike(norm)
	if len(decayed) > 0 {
		decayedNorm = Sqrt(sumSquares(decayed))
	}
	return append(updatedNodes(lay, next), norm, decayedNorm)
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
