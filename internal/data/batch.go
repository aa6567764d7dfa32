package data

import (
	"fmt"
	"math/rand/v2"
)

// EpochOrder returns the order in which epoch visits the n training
// examples: a permutation of 0..n-1 drawn from a PCG generator seeded with
// (seed, epoch). It is a pure function of its arguments, so resuming a run
// needs only the epoch and the step within it.
func EpochOrder(n int, seed uint64, epoch int) []int {
	return rand.New(rand.NewPCG(seed, uint64(epoch))).Perm(n)
}

// NumBatches returns the number of full batches in n examples, n/batch:
// training drops the last partial batch (50000/128 = 390 steps per epoch).
// It panics if batch < 1.
func NumBatches(n, batch int) int {
	checkBatch(batch)
	return n / batch
}

// EvalBatches returns the [start, end) ranges that cover all n examples in
// order with batches of at most batch examples; evaluation drops nothing.
// It panics if batch < 1.
func EvalBatches(n, batch int) [][2]int {
	checkBatch(batch)
	out := make([][2]int, 0, (n+batch-1)/batch)
	for s := 0; s < n; s += batch {
		out = append(out, [2]int{s, min(s+batch, n)})
	}
	return out
}

// checkBatch panics on a batch size below 1, a programming error.
func checkBatch(batch int) {
	if batch < 1 {
		panic(fmt.Sprintf("data: batch size must be >= 1, got %d", batch))
	}
}
