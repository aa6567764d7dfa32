// Package nntest holds the helpers that tests of several executors share:
// a built and initialised native model and a random batch for it.
package nntest

import (
	"math/rand/v2"
	"testing"

	"wdlab/internal/nn"
)

// Model builds d and initialises it with seed, failing t on error.
func Model(t testing.TB, d nn.Desc, seed uint64) *nn.Model {
	t.Helper()
	m, err := nn.Build(d)
	if err != nil {
		t.Fatal(err)
	}
	m.Init(seed)
	return m
}

// Batch returns n standard-normal examples of d's input and uniform labels
// over d's classes, drawn from seed.
func Batch(d nn.Desc, n int, seed uint64) ([]float32, []int32) {
	rng := rand.New(rand.NewPCG(seed, 1))
	dim := 1
	for _, v := range d.Input {
		dim *= v
	}
	x := make([]float32, n*dim)
	for i := range x {
		x[i] = float32(rng.NormFloat64())
	}
	y := make([]int32, n)
	for i := range y {
		y[i] = int32(rng.IntN(d.Classes))
	}
	return x, y
}
