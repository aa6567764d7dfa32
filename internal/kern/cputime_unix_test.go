//go:build unix

package kern

import (
	"syscall"
	"time"
)

// processCPUTime returns the CPU time (user + system) used by this process.
func processCPUTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
