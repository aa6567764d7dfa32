package data

import (
	"fmt"
	"math/rand/v2"
)

// Synthetic returns a learnable dataset of n h x w x c examples for tests:
// each class k has a prototype image with N(0, 1) entries, and an example is
// its class prototype plus N(0, 1) noise per value. Labels are balanced
// (counts differ by at most one) in a random order. The result is a pure
// function of the arguments. It panics if a size is negative or classes < 1.
func Synthetic(n, h, w, c, classes int, seed uint64) *Dataset {
	if n < 0 || h < 0 || w < 0 || c < 0 || classes < 1 {
		panic(fmt.Sprintf("data: Synthetic(%d, %d, %d, %d, %d): sizes must be >= 0 and classes >= 1", n, h, w, c, classes))
	}
	r := rand.New(rand.NewPCG(seed, 0x5eed))
	dim := h * w * c
	proto := make([]float32, classes*dim)
	for i := range proto {
		proto[i] = float32(r.NormFloat64())
	}
	d := &Dataset{Name: "synthetic", N: n, H: h, W: w, C: c, Classes: classes,
		X: make([]float32, n*dim), Y: make([]int32, n)}
	for i, p := range r.Perm(n) {
		k := p % classes
		d.Y[i] = int32(k)
		x, mu := d.X[i*dim:(i+1)*dim], proto[k*dim:(k+1)*dim]
		for j := range x {
			x[j] = mu[j] + float32(r.NormFloat64())
		}
	}
	return d
}
