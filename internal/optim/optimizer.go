package optim

import (
	"fmt"
	"slices"
	"strings"

	"wdlab/internal/nn"
)

// Optimizer updates trainable parameters in place from their gradients.
type Optimizer interface {
	// Step applies one update with learning rate lr and weight decay wd.
	// Parameters that are not Trainable (buffers, frozen) are skipped, and
	// wd only touches parameters with Decay set.
	Step(params []*nn.Param, lr, wd float64)
	// State returns a deep copy of the optimizer state: per-parameter
	// slices under "<kind>/<param name>" and the step count under "step".
	State() map[string][]float32
	// LoadState replaces the state with a deep copy of s after checking
	// its keys, pairing and step encoding. Restore additionally checks the
	// names and lengths against the model's parameters.
	LoadState(s map[string][]float32) error
	// Name is the short identifier used in configs and logs.
	Name() string
}

// GradPenalty is an optimizer whose weight decay can enter the gradient
// (Adam with an L2 penalty): AddPenalty adds it to the gradients, to call
// before clipping so that the clip and the reported norm include it.
type GradPenalty interface {
	AddPenalty(params []*nn.Param, wd float64)
}

// stateKinds is implemented by the optimizers of this package; it lists
// the per-parameter state kinds they keep (empty for plain SGD).
type stateKinds interface {
	kinds() []string
}

// StepKey is the state key that holds the encoded step count.
const StepKey = "step"

// Restore validates s against params and loads it into o. Every
// per-parameter key must name a trainable parameter of params with the
// same number of values; once the step count is positive, every trainable
// parameter must have every kind of state o keeps.
func Restore(o Optimizer, params []*nn.Param, s map[string][]float32) error {
	k, hasKinds := o.(stateKinds)
	byName := make(map[string]*nn.Param, len(params))
	for _, p := range params {
		if p.Trainable() {
			byName[p.Name] = p
		}
	}
	for key, vals := range s {
		if key == StepKey {
			continue
		}
		kind, name, ok := splitKey(key)
		if !ok {
			return fmt.Errorf("optim: state key %q is not of the form kind/param", key)
		}
		if hasKinds && !slices.Contains(k.kinds(), kind) {
			return kindError(key, kind, k.kinds())
		}
		p, found := byName[name]
		if !found {
			return fmt.Errorf("optim: state key %q: no trainable parameter named %q", key, name)
		}
		if len(vals) != len(p.W) {
			return fmt.Errorf("optim: state key %q has %d values, parameter has %d", key, len(vals), len(p.W))
		}
	}
	steps, err := stepOf(s)
	if err != nil {
		return err
	}
	if hasKinds && steps > 0 {
		for _, p := range params {
			if !p.Trainable() {
				continue
			}
			for _, kind := range k.kinds() {
				if _, found := s[kind+"/"+p.Name]; !found {
					return fmt.Errorf("optim: state (step %d) lacks %q", steps, kind+"/"+p.Name)
				}
			}
		}
	}
	return o.LoadState(s)
}

// splitKey splits "kind/name" at the first slash.
func splitKey(key string) (kind, name string, ok bool) {
	kind, name, ok = strings.Cut(key, "/")
	return kind, name, ok && kind != "" && name != ""
}

// stepOf decodes the "step" entry of s.
func stepOf(s map[string][]float32) (int, error) {
	v, ok := s[StepKey]
	if !ok {
		return 0, fmt.Errorf("optim: state has no %q entry", StepKey)
	}
	return DecodeStep(v)
}

// parseBuffers checks that every key of s other than "step" is
// "<kind>/<name>" with kind among allowed, and returns deep copies grouped
// by kind (kind -> name -> values) together with the decoded step count.
func parseBuffers(s map[string][]float32, allowed ...string) (map[string]map[string][]float32, int, error) {
	steps, err := stepOf(s)
	if err != nil {
		return nil, 0, err
	}
	out := make(map[string]map[string][]float32, len(allowed))
	for _, k := range allowed {
		out[k] = map[string][]float32{}
	}
	for key, vals := range s {
		if key == StepKey {
			continue
		}
		kind, name, ok := splitKey(key)
		if !ok {
			return nil, 0, fmt.Errorf("optim: state key %q is not of the form kind/param", key)
		}
		bufs, known := out[kind]
		if !known {
			return nil, 0, kindError(key, kind, allowed)
		}
		bufs[name] = append([]float32(nil), vals...)
	}
	return out, steps, nil
}

// putBuffers adds deep copies of bufs to s under "<kind>/<name>".
func putBuffers(s map[string][]float32, kind string, bufs map[string][]float32) {
	for name, v := range bufs {
		s[kind+"/"+name] = append([]float32(nil), v...)
	}
}

// checkGrad panics when a trainable parameter's gradient does not match its
// values: that is a bug in the model code, not bad user input.
func checkGrad(p *nn.Param) {
	if len(p.G) != len(p.W) {
		panic(fmt.Sprintf("optim: parameter %q has %d gradient values for %d weights", p.Name, len(p.G), len(p.W)))
	}
}

// bufferFor returns the state slice of p in bufs, creating it zeroed when
// absent. A length mismatch means the state
// was loaded without Restore for another model: a programming error.
func bufferFor(bufs map[string][]float32, kind string, p *nn.Param) []float32 {
	b, ok := bufs[p.Name]
	if !ok {
		b = make([]float32, len(p.W))
		bufs[p.Name] = b
		return b
	}
	if len(b) != len(p.W) {
		panic(fmt.Sprintf("optim: %s state for %q has %d values, parameter has %d (load state with optim.Restore)", kind, p.Name, len(b), len(p.W)))
	}
	return b
}

// kindError reports a state key whose kind the optimizer does not keep.
func kindError(key, kind string, allowed []string) error {
	return fmt.Errorf("optim: state key %q: kind %q not kept by this optimizer (want one of %v)", key, kind, allowed)
}
