package xla

import . "github.com/gomlx/gomlx/core/graph" //nolint:revive // graph-building code reads best unqualified

// The graph functions below take their inputs as one slice:
//
//	trainGraph: state (layout order), x, y, step scalars -> updated state, loss
//	gradGraph:  params, x, y                              -> loss, grads of non-buffer params
//	evalGraph:  params, x                                 -> logits (BN running statistics)
//	statsGraph: params, x, BN momentum                    -> logits, new BN buffers (batch statistics)

// newNet returns a graph builder over the first len(specs) inputs.
func (e *Executor) newNet(in []*Node, stats bool, momentum *Node) *net {
	b := &net{conv: e.conv, vals: make(map[string]*Node, len(e.lay.specs)), stats: stats, bnMomentum: momentum}
	for i, s := range e.lay.specs {
		b.vals[s.name] = in[i]
	}
	if stats {
		b.newStats = map[string]*Node{}
	}
	return b
}

// nativeBNMomentum is the native BN's running-statistic momentum in Train mode.
const nativeBNMomentum = 0.1

func (e *Executor) trainGraph(in []*Node) []*Node {
	lay := e.lay
	ns := lay.size()
	x, y := in[ns], in[ns+1]
	sc := scalarNodesFrom(in[ns+2:])
	b := e.newNet(in, true, Scalar(x.Graph(), x.DType(), float32(nativeBNMomentum)))
	loss := softmaxCE(b.forward(e.desc, x), y)
	next := applyUpdates(lay, e.opt, in, Gradient(loss, trainableNodes(lay, in)...), sc)
	for i, s := range lay.specs {
		if s.buffer {
			next[i] = b.newStats[s.name]
		}
	}
	if lay.ema { // the EMA follows the updated weights, buffers excluded
		mixEMA(lay, e.emaBeta, in, next)
	}
	out := updatedNodes(lay, next)
	out = append(out, loss)
	if len(lay.scaleInv) > 0 {
		out = append(out, e.chord(in, next))
	}
	return out
}

// chord is ||a/|a| - b/|b|||, with a the scale-invariant group before the
// step and b after it (each the concatenation of its tensors). The angle
// between them, 2 asin(chord/2), is accurate in float32 even for tiny
// updates, unlike arccos of the cosine.
func (e *Executor) chord(before, after []*Node) *Node {
	pick := func(v []*Node) []*Node {
		out := make([]*Node, len(e.lay.scaleInv))
		for j, i := range e.lay.scaleInv {
			out[j] = v[i]
		}
		return out
	}
	a, b := pick(before), pick(after)
	na, nb := Sqrt(sumSquares(a)), Sqrt(sumSquares(b))
	diff := make([]*Node, len(a))
	for j := range a {
		diff[j] = Sub(Div(a[j], na), Div(b[j], nb))
	}
	return Sqrt(sumSquares(diff))
}

func (e *Executor) gradGraph(in []*Node) []*Node {
	np := len(e.lay.specs)
	x, y := in[np], in[np+1]
	b := e.newNet(in, true, Scalar(x.Graph(), x.DType(), float32(nativeBNMomentum)))
	loss := softmaxCE(b.forward(e.desc, x), y)
	wrt := make([]*Node, len(e.lay.weights))
	for j, i := range e.lay.weights {
		wrt[j] = in[i]
	}
	return append([]*Node{loss}, Gradient(loss, wrt...)...)
}

func (e *Executor) evalGraph(in []*Node) []*Node {
	b := e.newNet(in, false, nil)
	return []*Node{b.forward(e.desc, in[len(e.lay.specs)])}
}

func (e *Executor) statsGraph(in []*Node) []*Node {
	np := len(e.lay.specs)
	b := e.newNet(in, true, in[np+1])
	out := []*Node{b.forward(e.desc, in[np])}
	for _, s := range e.lay.specs {
		if s.buffer {
			out = append(out, b.newStats[s.name])
		}
	}
	return out
}
