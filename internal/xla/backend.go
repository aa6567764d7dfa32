package xla

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/gomlx/compute"
	"github.com/gomlx/compute/gobackend"
)

// xlaAvailable is set by backend_xla.go when the binary includes the XLA
// backend (it needs cgo).
var xlaAvailable = false

// openBackend creates the compute backend named by spec:
//
//	"go"                    pure-Go backend, sequential op scheduling
//	                        (its parallel scheduler can deadlock on 2 cores)
//	"go:<config>"           pure-Go backend with an explicit config
//	"xla:/abs/plugin.so"    XLA through that PJRT plugin, tf32=false
//	"xla:/abs/p.so,opts"    the same with go-xla options (tf32=true allowed)
//
// Plugin auto-installation (a download) is always off.
func openBackend(spec string) (compute.Backend, error) {
	name, cfg, _ := strings.Cut(spec, ":")
	switch name {
	case "go":
		if cfg == "" {
			cfg = "ops_sequential"
		}
		return catch(func() (compute.Backend, error) { return gobackend.New(cfg) })
	case "xla":
		if !xlaAvailable {
			return nil, fmt.Errorf("xla backend %q: this binary was built without cgo (rebuild with CGO_ENABLED=1)", spec)
		}
		plugin, _, _ := strings.Cut(cfg, ",")
		if !filepath.IsAbs(plugin) {
			return nil, fmt.Errorf("xla backend %q: give the PJRT plugin as an absolute path, e.g. xla:/path/xla_cuda_plugin.so", spec)
		}
		if !strings.Contains(cfg, "tf32=") {
			cfg += ",tf32=false"
		}
		return catch(func() (compute.Backend, error) { return compute.NewWithConfig("xla:" + cfg) })
	}
	return nil, fmt.Errorf("backend %q: want \"go\", \"go:<config>\" or \"xla:/abs/path/plugin.so\"", spec)
}

// catch runs f, turning a panic (GoMLX reports many errors that way) into
// an error.
func catch[T any](f func() (T, error)) (v T, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%v", r)
		}
	}()
	return f()
}
