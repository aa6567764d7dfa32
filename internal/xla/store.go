package xla

import (
	"fmt"

	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"wdlab/internal/nn"
	"wdlab/internal/optim"
)

// store holds an executor's state tensors (parameters, buffers, optimizer
// slots, EMA) in layout order, with the optimizer and EMA step counts, and
// moves them to and from native parameters and optim state maps. Both
// executors (Executor for nn.Desc models, GPTExecutor) embed it.
type store struct {
	lay        layout
	state      []*tensors.Tensor // indexed by layout
	steps      int               // optimizer steps taken (drives Adam's bias correction)
	emaUpdates int
}

// newStore seeds a store with params (matched by name), the optimizer
// state of o and, when ema is set, its average.
func newStore(lay layout, params []*nn.Param, o optim.Optimizer, ema *optim.EMA) (store, error) {
	s := store{lay: lay, state: make([]*tensors.Tensor, lay.size())}
	err := s.WriteParams(params)
	if err == nil {
		err = s.loadOptimizer(o)
	}
	if err == nil && ema != nil {
		err = s.loadEMA(ema.State())
	}
	if err != nil {
		s.freeState()
	}
	return s, err
}

// freeState releases every state tensor.
func (e *store) freeState() {
	for i, t := range e.state {
		if t != nil {
			_ = t.FinalizeAll()
			e.state[i] = nil
		}
	}
}

// Steps returns the number of optimizer steps taken (including those of
// the optimizer state the executor started from).
func (e *store) Steps() int { return e.steps }

// stepArgs returns the state tensors as arguments of a training step: the
// ones the step rewrites are donated to backend.
func (e *store) stepArgs(backend compute.Backend) ([]any, error) {
	return donateArgs(backend, e.state, e.lay.updated)
}

// donateArgs returns ts as graph arguments, donating to backend the
// buffers of the ones donate selects (nil: all), which the call consumes.
func donateArgs(backend compute.Backend, ts []*tensors.Tensor, donate func(i int) bool) ([]any, error) {
	args := make([]any, 0, len(ts)+8)
	for i, t := range ts {
		if donate != nil && !donate(i) {
			args = append(args, t)
			continue
		}
		d, err := graph.DonateTensorBuffer(t, backend, 0)
		if err != nil {
			return nil, err
		}
		args = append(args, d)
	}
	return args, nil
}

// adopt installs a training step's outputs (the rewritten state tensors,
// in layout order, first) and returns the outputs after them.
func (e *store) adopt(outs []*tensors.Tensor) []*tensors.Tensor {
	k := 0
	for i := range e.state {
		if e.lay.updated(i) {
			_ = e.state[i].FinalizeAll()
			e.state[i] = outs[k]
			k++
		}
	}
	e.steps++
	if e.lay.ema {
		e.emaUpdates++
	}
	return outs[k:]
}

// paramArgs returns the parameter and buffer tensors as graph arguments
// (not donated).
func (e *store) paramArgs() []any {
	args := make([]any, 0, len(e.lay.specs)+3)
	for i := range e.lay.specs {
		args = append(args, e.state[i])
	}
	return args
}

// WriteParams loads the values of params (parameters and BN running
// statistics, matched by name) into the executor. Optimizer and EMA state
// are left as they are.
func (e *store) WriteParams(params []*nn.Param) error {
	byName, err := e.match(params)
	if err != nil {
		return err
	}
	for i, s := range e.lay.specs {
		e.set(i, byName[s.name].W)
	}
	return nil
}

// ReadParams copies the executor's parameters and BN running statistics
// into params (matched by name), e.g. the native model for evaluation or
// a checkpoint.
func (e *store) ReadParams(params []*nn.Param) error {
	byName, err := e.match(params)
	if err != nil {
		return err
	}
	for i, s := range e.lay.specs {
		if err := e.get(i, byName[s.name].W); err != nil {
			return err
		}
	}
	return nil
}

// ReadEMA copies the averaged weights into the non-buffer parameters of
// params (like optim.EMA.CopyInto); buffers are left alone.
func (e *store) ReadEMA(params []*nn.Param) error {
	if !e.lay.ema {
		return fmt.Errorf("xla: ReadEMA: the executor keeps no EMA (Config.EMA is nil)")
	}
	byName, err := e.match(params)
	if err != nil {
		return err
	}
	for j, i := range e.lay.weights {
		if err := e.get(e.lay.emaIndex(j), byName[e.lay.specs[i].name].W); err != nil {
			return err
		}
	}
	return nil
}

// OptimizerState returns the optimizer state in package optim's format
// ("<kind>/<name>" per trainable parameter and "step"), ready for the
// native optimizer's LoadState or a checkpoint.
func (e *store) OptimizerState() (map[string][]float32, error) {
	s := map[string][]float32{optim.StepKey: optim.EncodeStep(e.steps)}
	for k, kind := range e.lay.kinds {
		for j, i := range e.lay.trainable {
			v := make([]float32, e.lay.specs[i].size)
			if err := e.get(e.lay.slot(k, j), v); err != nil {
				return nil, err
			}
			s[kind+"/"+e.lay.specs[i].name] = v
		}
	}
	return s, nil
}

// EMAState returns the EMA in optim.EMA's state format ("ema/<name>" per
// non-buffer parameter and "step" = number of updates).
func (e *store) EMAState() (map[string][]float32, error) {
	if !e.lay.ema {
		return nil, fmt.Errorf("xla: EMAState: the executor keeps no EMA (Config.EMA is nil)")
	}
	s := map[string][]float32{optim.StepKey: optim.EncodeStep(e.emaUpdates)}
	for j, i := range e.lay.weights {
		v := make([]float32, e.lay.specs[i].size)
		if err := e.get(e.lay.emaIndex(j), v); err != nil {
			return nil, err
		}
		s["ema/"+e.lay.specs[i].name] = v
	}
	return s, nil
}

// loadOptimizer seeds the optimizer slots from o's state (zeros where it
// has none yet) and takes its step count.
func (e *store) loadOptimizer(o optim.Optimizer) error {
	var s map[string][]float32
	if o != nil {
		s = o.State()
		steps, err := optim.DecodeStep(s[optim.StepKey])
		if err != nil {
			return fmt.Errorf("xla: optimizer state: %w", err)
		}
		e.steps = steps
	}
	for k, kind := range e.lay.kinds {
		for j, i := range e.lay.trainable {
			sp := e.lay.specs[i]
			v, ok := s[kind+"/"+sp.name]
			if !ok {
				v = make([]float32, sp.size)
			} else if len(v) != sp.size {
				return fmt.Errorf("xla: optimizer state %s/%s has %d values, parameter has %d", kind, sp.name, len(v), sp.size)
			}
			e.set(e.lay.slot(k, j), v)
		}
	}
	return nil
}

// loadEMA seeds the EMA slots from an optim.EMA state map.
func (e *store) loadEMA(s map[string][]float32) error {
	n, err := optim.DecodeStep(s[optim.StepKey])
	if err != nil {
		return fmt.Errorf("xla: ema state: %w", err)
	}
	e.emaUpdates = n
	for j, i := range e.lay.weights {
		sp := e.lay.specs[i]
		v, ok := s["ema/"+sp.name]
		if !ok || len(v) != sp.size {
			return fmt.Errorf("xla: ema state lacks %q with %d values (was the EMA built for this model?)", "ema/"+sp.name, sp.size)
		}
		e.set(e.lay.emaIndex(j), v)
	}
	return nil
}

// match indexes params by name and checks that every executor parameter
// is among them with the right size.
func (e *store) match(params []*nn.Param) (map[string]*nn.Param, error) {
	byName := make(map[string]*nn.Param, len(params))
	for _, p := range params {
		byName[p.Name] = p
	}
	for _, s := range e.lay.specs {
		p, ok := byName[s.name]
		if !ok {
			return nil, fmt.Errorf("xla: parameter %q missing", s.name)
		}
		if len(p.W) != s.size {
			return nil, fmt.Errorf("xla: parameter %q has %d values, executor has %d", s.name, len(p.W), s.size)
		}
	}
	return byName, nil
}

// shapeOf returns the tensor shape of state index i.
func (e *store) shapeOf(i int) []int {
	switch {
	case i < len(e.lay.specs):
		return e.lay.specs[i].shape
	case i < e.lay.emaIndex(0):
		j := (i - len(e.lay.specs)) % len(e.lay.trainable)
		return e.lay.specs[e.lay.trainable[j]].shape
	}
	return e.lay.specs[e.lay.weights[i-e.lay.emaIndex(0)]].shape
}

// set replaces state tensor i by a host tensor holding a copy of v.
func (e *store) set(i int, v []float32) {
	if old := e.state[i]; old != nil {
		_ = old.FinalizeAll()
	}
	e.state[i] = tensors.FromFlatDataAndDimensions(append([]float32(nil), v...), e.shapeOf(i)...)
}

// get copies state tensor i into dst.
func (e *store) get(i int, dst []float32) error {
	v, err := tensors.CopyFlatData[float32](e.state[i])
	if err != nil {
		return fmt.Errorf("xla: reading %v: %w", e.shapeOf(i), err)
	}
	copy(dst, v)
	return nil
}
