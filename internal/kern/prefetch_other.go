//go:build !amd64

package kern

import "unsafe"

// prefetchRange is a no-op where no prefetch instruction is wired up.
func prefetchRange(p unsafe.Pointer, n uintptr) {}

// prefetchRangeW is a no-op where no prefetch instruction is wired up.
func prefetchRangeW(p unsafe.Pointer, n uintptr) {}
