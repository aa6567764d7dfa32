package xla

import (
	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/core/graph"
)

// device is an open backend and the graph executables created on it; both
// executors embed one.
type device struct {
	backend compute.Backend
	execs   []*graph.Exec
}

// openDevice opens the backend named by spec (see openBackend) and
// creates one executable per graph function, in order (each compiles
// lazily for the input shapes it meets).
func openDevice(spec string, fns ...func([]*graph.Node) []*graph.Node) (device, error) {
	b, err := openBackend(spec)
	if err != nil {
		return device{}, err
	}
	d := device{backend: b}
	for _, f := range fns {
		x, err := graph.NewExec(b, f)
		if err != nil {
			d.close()
			return device{}, err
		}
		d.execs = append(d.execs, x)
	}
	return d, nil
}

// close releases the executables and the backend.
func (d *device) close() {
	for _, x := range d.execs {
		x.Finalize()
	}
	d.execs = nil
	if d.backend != nil {
		d.backend.Finalize()
		d.backend = nil
	}
}

// Backend describes the backend in use.
func (d *device) Backend() string { return d.backend.Description() }
