package kern

import "unsafe"

// prefetchRange asks the CPU to start loading the n bytes at p into cache
// (PREFETCHT0 every 64 bytes; prefetch_amd64.s). It never faults. The
// hardware prefetchers alone keep the microkernels waiting on memory when
// they stream a large A or B (measured 2x slower on the conv shapes).
//
//go:noescape
func prefetchRange(p unsafe.Pointer, n uintptr)

// prefetchRangeW is prefetchRange for memory about to be written
// (PREFETCHW): the lines arrive in a writable state, so the stores of a
// microkernel's C update do not wait for them.
//
//go:noescape
func prefetchRangeW(p unsafe.Pointer, n uintptr)
