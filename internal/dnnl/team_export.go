//go:build cgo && linux && amd64 && dnnl

package dnnl

// #include <stdint.h>
import "C"

import "runtime/cgo"

// wdlabTeamPart is one OpenMP thread's share of a team job.
//
//export wdlabTeamPart
func wdlabTeamPart(job C.uintptr_t, part, parts C.int) {
	cgo.Handle(job).Value().(func(part, parts int))(int(part), int(parts))
}
