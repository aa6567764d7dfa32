//go:build cgo && !noxla && ((linux && (amd64 || arm64)) || (darwin && arm64))

package xla

import gxla "github.com/gomlx/go-xla/compute/xla"

// The XLA backend registers itself as "xla"; plugins are only loaded from
// the absolute path given, never downloaded.
func init() {
	gxla.EnableAutoInstall(false)
	xlaAvailable = true
}
