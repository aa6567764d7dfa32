package nn

import (
	"runtime"
	"sync"
)

// parFor splits [0, n) into up to GOMAXPROCS contiguous chunks and runs fn on
// each in its own goroutine. Work below minWork items runs inline.
func parFor(n, minWork int, fn func(lo, hi int)) {
	p := runtime.GOMAXPROCS(0)
	if p < 2 || n < minWork || n < 2 {
		fn(0, n)
		return
	}
	if p > n {
		p = n
	}
	var wg sync.WaitGroup
	for i := 0; i < p; i++ {
		lo, hi := n*i/p, n*(i+1)/p
		wg.Add(1)
		go func() {
			defer wg.Done()
			fn(lo, hi)
		}()
	}
	wg.Wait()
}

// reduceChunks is the fixed number of partial sums used by reductions, so
// results do not depend on the number of cores.
const reduceChunks = 8

// parChunks runs fn over reduceChunks fixed chunks of [0, n), in parallel
// when n >= minWork. Callers combine per-chunk partials in chunk order, so
// the result is the same however many cores run it.
func parChunks(n, minWork int, fn func(chunk, lo, hi int)) {
	run := func(c0, c1 int) {
		for c := c0; c < c1; c++ {
			fn(c, n*c/reduceChunks, n*(c+1)/reduceChunks)
		}
	}
	if n < minWork {
		run(0, reduceChunks)
		return
	}
	parFor(reduceChunks, 1, run)
}
