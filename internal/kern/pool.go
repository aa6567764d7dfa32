package kern

import "sync"

// A small persistent worker pool shared by the parallel kernels. Work is
// handed over as (job, part) pairs through a channel, so dispatching a
// pooled job allocates nothing.

// partRunner is work cut into parts that may run concurrently.
type partRunner interface {
	runPart(t int)
}

// workItem asks a pool worker to run one part of a job.
type workItem struct {
	job  partRunner
	part int
	wg   *sync.WaitGroup
}

var (
	workQueue   = make(chan workItem, 64)
	workersMu   sync.Mutex
	workerCount int
	wgPool      = sync.Pool{New: func() any { return new(sync.WaitGroup) }}
)

// ensureWorkers starts pool workers until at least n exist.
func ensureWorkers(n int) {
	workersMu.Lock()
	for ; workerCount < n; workerCount++ {
		go func() {
			for it := range workQueue {
				it.job.runPart(it.part)
				it.wg.Done()
			}
		}()
	}
	workersMu.Unlock()
}

// runParts runs job.runPart(t) for every t in [0, parts), part 0 on the
// calling goroutine and the rest on pool workers, and returns when all are
// done. Parts must not call runParts themselves.
func runParts(parts int, job partRunner) {
	if parts <= 1 {
		job.runPart(0)
		return
	}
	wg := wgPool.Get().(*sync.WaitGroup)
	ensureWorkers(parts - 1)
	wg.Add(parts - 1)
	for t := 1; t < parts; t++ {
		workQueue <- workItem{job, t, wg}
	}
	job.runPart(0)
	wg.Wait()
	wgPool.Put(wg)
}
