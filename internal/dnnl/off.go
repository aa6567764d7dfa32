//go:build !(cgo && linux && amd64 && dnnl)

package dnnl

import (
	"errors"

	"wdlab/internal/config"
	"wdlab/internal/nn"
)

// errOff explains why this build has no oneDNN executor: a request for it
// is an input error (exit 2), like any option value the binary rejects.
var errOff = config.Input(errors.New("the oneDNN executor is not in this build (it needs cgo, linux/amd64, libdnnl-dev and the build tag dnnl: make build sets it when the library is installed)"))

// Available reports whether this build contains the oneDNN executor.
func Available() bool { return false }

// Executor is the oneDNN executor; this build has none.
type Executor struct{}

// Supports reports why m cannot run on oneDNN: this build has no oneDNN.
func Supports(*nn.Model) error { return errOff }

// New fails: this build has no oneDNN.
func New(*nn.Model) (*Executor, error) { return nil, errOff }

// Step is never reached (New fails).
func (*Executor) Step([]float32, []int32, int) (float64, error) { return 0, errOff }

// Forward is never reached (New fails).
func (*Executor) Forward([]float32, int, nn.Mode) (*nn.Tensor, error) { return nil, errOff }

// Kernels is empty.
func (*Executor) Kernels() []string { return nil }

// Close does nothing.
func (*Executor) Close() {}
