package optim

import (
	"fmt"
	"math"

	"wdlab/internal/nn"
)

// ParamNorm is sqrt(sum w^2) over the non-buffer params accepted by filter
// (nil accepts all), accumulated in float64. With a nil filter it is the
// paper's L2 norm of the weights (the authors' code logs it as L2): trainable and frozen weights, no buffers.
func ParamNorm(params []*nn.Param, filter func(*nn.Param) bool) float64 {
	sum := 0.0
	for _, p := range params {
		if p.Buffer || (filter != nil && !filter(p)) {
			continue
		}
		for _, w := range p.W {
			sum += float64(w) * float64(w)
		}
	}
	return math.Sqrt(sum)
}

// SnapshotParams copies the weights of the non-buffer params accepted by
// filter (nil accepts all), in order, for a later AngularUpdate.
func SnapshotParams(params []*nn.Param, filter func(*nn.Param) bool) [][]float32 {
	var out [][]float32
	for _, p := range params {
		if p.Buffer || (filter != nil && !filter(p)) {
			continue
		}
		out = append(out, append([]float32(nil), p.W...))
	}
	return out
}

// AngularUpdate is arccos(<a,b>/(|a||b|)) in radians between the
// concatenations a of prev and b of cur (the angular update of the paper,
// Section 2), with float64
// accumulation and the cosine clamped into [-1, 1]. It is NaN when either
// vector is zero. prev and cur must have the same layout (two snapshots
// taken with the same filter); anything else panics.
func AngularUpdate(prev, cur [][]float32) float64 {
	if len(prev) != len(cur) {
		panic(fmt.Sprintf("optim: angular update of %d vs %d slices", len(prev), len(cur)))
	}
	var dot, na, nb float64
	for i, a := range prev {
		b := cur[i]
		if len(a) != len(b) {
			panic(fmt.Sprintf("optim: angular update slice %d has %d vs %d values", i, len(a), len(b)))
		}
		for j, x := range a {
			y := float64(b[j])
			dot += float64(x) * y
			na += float64(x) * float64(x)
			nb += y * y
		}
	}
	if na == 0 || nb == 0 {
		return math.NaN()
	}
	c := dot / (math.Sqrt(na) * math.Sqrt(nb))
	return math.Acos(math.Max(-1, math.Min(1, c)))
}
