package xla

import . "github.com/gomlx/gomlx/core/graph" //nolint:revive // graph-building code reads best unqualified

// trainableNodes returns the graph inputs of the trainable parameters.
func trainableNodes(lay layout, in []*Node) []*Node {
	wrt := make([]*Node, len(lay.trainable))
	for j, i := range lay.trainable {
		wrt[j] = in[i]
	}
	return wrt
}

// applyUpdates returns the state after one optimizer step: every trainable
// parameter and its optimizer slots updated from its gradient (grads is
// aligned with lay.trainable); everything else, the EMA included, as in in.
func applyUpdates(lay layout, opt optSpec, in, grads []*Node, sc scalarNodes) []*Node {
	next := append([]*Node(nil), in[:lay.size()]...)
	for j, i := range lay.trainable {
		slots := make([]*Node, len(lay.kinds))
		for k := range lay.kinds {
			slots[k] = in[lay.slot(k, j)]
		}
		w, newSlots := opt.update(in[i], grads[j], slots, lay.specs[i].decay, sc)
		next[i] = w
		for k, s := range newSlots {
			next[lay.slot(k, j)] = s
		}
	}
	return next
}

// mixEMA sets the EMA slots of next to beta*ema + (1-beta)*w with w the
// updated weights of next (optim.EMA.Update).
func mixEMA(lay layout, beta float64, in, next []*Node) {
	if len(lay.weights) == 0 {
		return
	}
	w0 := next[lay.weights[0]]
	g, dt := w0.Graph(), w0.DType()
	keep, mix := Scalar(g, dt, float32(beta)), Scalar(g, dt, float32(1-beta))
	for j, i := range lay.weights {
		k := lay.emaIndex(j)
		next[k] = Add(Mul(keep, in[k]), Mul(mix, next[i]))
	}
}

// updatedNodes returns the state entries a training step rewrites, in
// layout order (the outputs store.adopt expects first).
func updatedNodes(lay layout, next []*Node) []*Node {
	var out []*Node
	for i := range lay.size() {
		if lay.updated(i) {
			out = append(out, next[i])
		}
	}
	return out
}
