//go:build cgo && linux && amd64 && dnnl

package dnnl

import (
	"fmt"
	"os"
	"runtime"

	"wdlab/internal/config"
	"wdlab/internal/nn"
)

// Executor computes a native model's training loss and gradients with
// oneDNN: the trunk on oneDNN primitives, the tail layers and the loss on
// the model's own native layers. Gradients accumulate into the model's
// Params (like nn.Model.Backward) and BN running statistics are updated in
// place, so the caller's optimizer and EMA act on the model directly.
type Executor struct {
	m     *nn.Model
	pre   *nn.Normalize // a fixed input map before the trunk, run natively (VGG's), or nil
	trunk []nn.Layer
	tail  []nn.Layer
	in    []int // [H, W, C]
	jobs  chan func()
	c     *ctx
	nets  map[int]*net // by batch size
	last  *net
	x, dl *nn.Tensor
}

// split returns a leading fixed input map (run natively: it has no
// parameters and its input needs no gradient), the layers oneDNN runs (up
// to and including the global pooling) and the native tail, or an error
// when the model has no convolutional trunk.
func split(m *nn.Model) (pre *nn.Normalize, trunk, tail []nn.Layer, err error) {
	layers := m.Root.Layers
	if len(layers) > 0 {
		if p, ok := layers[0].(*nn.Normalize); ok {
			pre, layers = p, layers[1:]
		}
	}
	i := 0
	conv := false
	for ; i < len(layers); i++ {
		switch layers[i].(type) {
		case *nn.Conv2D, *nn.Residual:
			conv = true
			continue
		case *nn.BatchNorm, *nn.ReLU, *nn.Pool2D:
			continue
		case *nn.GlobalAvgPool:
			i++
		}
		break
	}
	if !conv || len(m.Desc.Input) != 3 {
		return nil, nil, nil, config.Inputf("model %q has no convolutional trunk for oneDNN", m.Desc.Name)
	}
	return pre, layers[:i], layers[i:], nil
}

// Supports reports why m cannot run on oneDNN (nil: it can).
func Supports(m *nn.Model) error {
	_, _, _, err := split(m)
	return err
}

// New prepares an executor for m; primitives are built at the first step
// of each batch size.
func New(m *nn.Model) (*Executor, error) {
	pre, trunk, tail, err := split(m)
	if err != nil {
		return nil, err
	}
	e := &Executor{m: m, pre: pre, trunk: trunk, tail: tail, in: m.Desc.Input, jobs: make(chan func()), nets: map[int]*net{}}
	go e.worker()
	if err := e.do(func() (err error) { e.c, err = newCtx(); return err }); err != nil {
		close(e.jobs)
		return nil, err
	}
	return e, nil
}

// worker runs every oneDNN call on one OS thread: OpenMP's thread team
// belongs to the thread that calls into it. Without OMP_NUM_THREADS the
// team has GOMAXPROCS threads.
func (e *Executor) worker() {
	runtime.LockOSThread()
	if os.Getenv("OMP_NUM_THREADS") == "" {
		setThreads(runtime.GOMAXPROCS(0))
	}
	for f := range e.jobs {
		f()
	}
}

// do runs f on the worker thread and waits for it.
func (e *Executor) do(f func() error) error {
	done := make(chan error, 1)
	e.jobs <- func() { done <- f() }
	return <-done
}

// Step runs forward and backward on n examples x (NHWC) with labels y and
// returns the mean cross-entropy. Gradients are accumulated into the
// model's Params: zero them first (nn.Model.ZeroGrad).
func (e *Executor) Step(x []float32, y []int32, n int) (loss float64, err error) {
	err = e.do(func() error {
		nt, t, err := e.forward(x, n, nn.Train)
		if err != nil {
			return err
		}
		loss, _, e.dl = nn.SoftmaxCE(t, y[:n], e.dl)
		d := e.dl
		for i := len(e.tail) - 1; i >= 0; i-- {
			d = e.tail[i].Backward(d)
		}
		return nt.backward(d.Data)
	})
	return loss, err
}

// Forward runs the model's forward pass on n examples x (NHWC) in mode
// (nn.Eval: batch norm with the running statistics; nn.Recalibrate: with
// the batch's, folded into the running average) and returns its output,
// valid until the next call. Evaluation and BN recalibration use it.
func (e *Executor) Forward(x []float32, n int, mode nn.Mode) (*nn.Tensor, error) {
	var t *nn.Tensor
	err := e.do(func() (err error) {
		_, t, err = e.forward(x, n, mode)
		return err
	})
	return t, err
}

// forward runs the trunk compiled for n examples and the native tail in
// mode on the worker thread, and returns the net and the model's output.
func (e *Executor) forward(x []float32, n int, mode nn.Mode) (*net, *nn.Tensor, error) {
	nt, err := e.netFor(n)
	if err != nil {
		return nil, nil, err
	}
	out, err := nt.forward(e.input(x, n), mode)
	if err != nil {
		return nil, nil, err
	}
	t := e.tailInput(nt, out)
	for _, l := range e.tail {
		t = l.Forward(t, mode)
	}
	return nt, t, nil
}

// input is the trunk's input: the first n examples of x, through the fixed
// input map when the model has one.
func (e *Executor) input(x []float32, n int) []float32 {
	x = x[:n*e.in[0]*e.in[1]*e.in[2]]
	if e.pre == nil {
		return x
	}
	t := &nn.Tensor{Shape: []int{n, e.in[0], e.in[1], e.in[2]}, Data: x}
	return e.pre.Forward(t, nn.Train).Data
}

// tailInput wraps the trunk output as the native tail's input tensor:
// [N, C] after global pooling, else [N, H, W, C].
func (e *Executor) tailInput(nt *net, out []float32) *nn.Tensor {
	d := nt.out.dims
	shape := []int{d[0], d[2], d[3], d[1]}
	if _, ok := e.trunk[len(e.trunk)-1].(*nn.GlobalAvgPool); ok {
		shape = []int{d[0], d[1]}
	}
	if e.x == nil || fmt.Sprint(e.x.Shape) != fmt.Sprint(shape) {
		e.x = nn.NewTensor(shape...)
	}
	copy(e.x.Data, out)
	return e.x
}

// netFor returns the trunk compiled for batch size n.
func (e *Executor) netFor(n int) (*net, error) {
	if nt, ok := e.nets[n]; ok {
		e.last = nt
		return nt, nil
	}
	nt, err := compile(e.c, e.trunk, n, e.in)
	if err != nil {
		return nil, err
	}
	e.nets[n] = nt
	e.last = nt
	return nt, nil
}

// Kernels lists the oneDNN implementations of the last step's net, one
// "primitive: implementation xCount" line each.
func (e *Executor) Kernels() []string {
	var out []string
	e.do(func() error {
		if e.last != nil {
			out = e.last.kernelList()
		}
		return nil
	})
	return out
}

// Close frees all primitives and memory and stops the worker thread.
func (e *Executor) Close() {
	e.do(func() error {
		for _, nt := range e.nets {
			nt.free()
		}
		e.c.close()
		return nil
	})
	close(e.jobs)
}
