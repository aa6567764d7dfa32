//go:build cgo && linux && amd64 && dnnl

package dnnl

/*
#cgo CFLAGS: -fopenmp
#include <stdint.h>
#include <omp.h>

extern void wdlabTeamPart(uintptr_t job, int part, int parts);

// wd_team runs job on an OpenMP team of n threads: the calling thread's
// team, the one oneDNN's primitives run on.
static void wd_team(uintptr_t job, int n) {
	#pragma omp parallel num_threads(n)
	wdlabTeamPart(job, omp_get_thread_num(), omp_get_num_threads());
}
*/
import "C"

import "runtime/cgo"

// team runs f(part, parts) on up to parts threads of the calling
// thread's OpenMP team and returns when all are done. Go work between
// oneDNN primitives runs there rather than on goroutines: after each
// primitive the team's other threads spin, waiting for the next one, and
// a goroutine on their cores got so little CPU that batch norm on two
// threads took as long as on one (12 and 17 ms of w16's forward and
// backward, against 7.5 and 10 ms on the team). It must be called on the
// executor's worker thread.
func team(parts int, f func(part, parts int)) {
	if parts <= 1 {
		f(0, 1)
		return
	}
	h := cgo.NewHandle(f)
	defer h.Delete()
	C.wd_team(C.uintptr_t(h), C.int(parts))
}
