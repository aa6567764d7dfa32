//go:build !(cgo && linux && amd64 && dnnl)

package dnnl

// Available reports whether this build contains the oneDNN executor.
func Available() bool { return false }
