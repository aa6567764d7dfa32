package golden

import (
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"wdlab/internal/models"
	"wdlab/internal/nn"
	"wdlab/internal/optim"
)

// The largest accepted differences between wdlab and PyTorch, relative to
// the largest magnitude of the reference tensor: float32 round-off of sums
// taken in another order (the gradients agree to 3.5e-6 at most), and for
// the change of a parameter after 3 steps also the round-off of that
// difference and Adam's division by sqrt(v) (1.7e-5 at most, 2026-12-06). A
// gradient or optimizer step that is wrong by 1e-3 fails both.
const (
	tolGrad = 1e-5
	tolStep = 5e-5
)

// tensor is one float32 array of a reference file.
type tensor struct {
	Shape []int  `json:"shape"`
	Data  string `json:"data"` // base64 of little-endian float32
}

// values decodes the tensor.
func (t tensor) values(tb testing.TB) []float32 {
	b, err := base64.StdEncoding.DecodeString(t.Data)
	if err != nil || len(b)%4 != 0 {
		tb.Fatalf("bad tensor data: %v (%d bytes)", err, len(b))
	}
	v := make([]float32, len(b)/4)
	for i := range v {
		v[i] = math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:]))
	}
	return v
}

// reference is one file written by scripts/golden_torch.py.
type reference struct {
	Model string `json:"model"`
	Steps int    `json:"steps"`
	SGD   struct{ LR, Momentum, WD float64 }
	AdamW struct {
		LR, Eps, WD float64
		Betas       [2]float64
	}
	Init        map[string]tensor `json:"init"`
	Grad        map[string]tensor `json:"grad"`
	Loss        float64           `json:"loss"`
	SGDLosses   []float64         `json:"sgd_losses"`
	SGDAfter    map[string]tensor `json:"sgd_after"`
	AdamWLosses []float64         `json:"adamw_losses"`
	AdamWAfter  map[string]tensor `json:"adamw_after"`

	// vision
	X       tensor  `json:"x"`
	Labels  []int32 `json:"labels"`
	Input   []int   `json:"input"`
	Classes int     `json:"classes"`
	Hidden  []int   `json:"hidden"`
	Blocks  []int   `json:"blocks"`
	Width   int     `json:"width"`

	// GPT
	GPT     nn.GPTConfig `json:"gpt"`
	IDs     []int32      `json:"ids"`
	Targets []int32      `json:"targets"`
	B, T    int
}

func load(t *testing.T, name string) reference {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name+".json"))
	if err != nil {
		t.Fatal(err)
	}
	var r reference
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	return r
}

// net is one native model with its training step on the reference batch.
type net struct {
	params []*nn.Param
	// step zeroes the gradients, runs forward and backward on the batch and
	// returns the mean cross-entropy.
	step func() float64
}

// setWeights copies the reference tensors into the parameters of the same
// names; every parameter must have one of the reference's shape.
func setWeights(t *testing.T, ps []*nn.Param, ref map[string]tensor) {
	t.Helper()
	if len(ps) != len(ref) {
		t.Fatalf("%d parameters, the reference has %d", len(ps), len(ref))
	}
	for _, p := range ps {
		r, ok := ref[p.Name]
		if !ok {
			t.Fatalf("parameter %s is not in the reference", p.Name)
		}
		if !slices.Equal(p.Shape, r.Shape) {
			t.Fatalf("%s: shape %v, reference %v", p.Name, p.Shape, r.Shape)
		}
		copy(p.W, r.values(t))
	}
}

// compare fails unless got matches want to tol relative to want's largest
// magnitude.
func compare(t *testing.T, what string, got, want []float32, tol float64) {
	t.Helper()
	var diff, scale float64
	for i := range want {
		diff = max(diff, math.Abs(float64(got[i])-float64(want[i])))
		scale = max(scale, math.Abs(float64(want[i])))
	}
	if len(got) != len(want) || !(diff <= tol*scale) {
		t.Errorf("%s: max |wdlab - torch| = %.3g, %.3g of the largest value %.3g (tol %g)", what, diff, diff/scale, scale, tol)
	}
}

// compareLoss fails unless two losses agree to tolGrad.
func compareLoss(t *testing.T, what string, got, want float64) {
	t.Helper()
	if math.Abs(got-want) > tolGrad*math.Abs(want) {
		t.Errorf("%s: wdlab %.9g, torch %.9g", what, got, want)
	}
}

// check runs the whole comparison for one model: the loss and every
// gradient at the initial weights, then the losses of 3 steps and the change
// of every parameter and BN statistic after them, for SGD and for AdamW.
// Changes are compared rather than weights so that a wrong step shows at
// its own scale, not hidden under the weights'.
func check(t *testing.T, r reference, build func() net) {
	n := build()
	setWeights(t, n.params, r.Init)
	compareLoss(t, "loss", n.step(), r.Loss)
	for _, p := range n.params {
		if p.G == nil {
			continue
		}
		g, ok := r.Grad[p.Name]
		if !ok {
			t.Fatalf("no reference gradient for %s", p.Name)
		}
		compare(t, "gradient of "+p.Name, p.G, g.values(t), tolGrad)
	}
	for _, c := range []struct {
		name   string
		opt    optim.Optimizer
		lr, wd float64
		losses []float64
		after  map[string]tensor
	}{
		{"sgd", &optim.SGD{Momentum: r.SGD.Momentum}, r.SGD.LR, r.SGD.WD, r.SGDLosses, r.SGDAfter},
		{"adamw", &optim.AdamW{Beta1: r.AdamW.Betas[0], Beta2: r.AdamW.Betas[1], Eps: r.AdamW.Eps}, r.AdamW.LR, r.AdamW.WD, r.AdamWLosses, r.AdamWAfter},
	} {
		n := build()
		setWeights(t, n.params, r.Init)
		for s := range r.Steps {
			compareLoss(t, c.name+" step loss", n.step(), c.losses[s])
			c.opt.Step(n.params, c.lr, c.wd)
		}
		for _, p := range n.params {
			w0, w3 := r.Init[p.Name].values(t), c.after[p.Name].values(t)
			got, want := make([]float32, len(w0)), make([]float32, len(w0))
			for i := range w0 {
				got[i], want[i] = p.W[i]-w0[i], w3[i]-w0[i]
			}
			compare(t, c.name+": change of "+p.Name, got, want, tolStep)
		}
	}
}

// vision returns the native model of a vision reference and its step.
func vision(t *testing.T, r reference, desc nn.Desc) func() net {
	return func() net {
		m, err := nn.Build(desc)
		if err != nil {
			t.Fatal(err)
		}
		x := &nn.Tensor{Shape: append([]int{len(r.Labels)}, r.Input...), Data: r.X.values(t)}
		return net{m.Params(), func() float64 {
			m.ZeroGrad()
			loss, _, dl := nn.SoftmaxCE(m.Forward(x, nn.Train), r.Labels, nil)
			m.Backward(dl)
			return loss
		}}
	}
}

func TestBNMLPMatchesPyTorch(t *testing.T) {
	r := load(t, "bn-mlp")
	desc, err := models.BNMLP(r.Hidden, r.Input, r.Classes)
	if err != nil {
		t.Fatal(err)
	}
	check(t, r, vision(t, r, desc))
}

func TestPreActResNetMatchesPyTorch(t *testing.T) {
	r := load(t, "preact-resnet")
	desc, err := models.PreActResNet(models.ResNetSpec{Blocks: r.Blocks, Width: r.Width}, r.Input, r.Classes)
	if err != nil {
		t.Fatal(err)
	}
	check(t, r, vision(t, r, desc))
}

func TestGPTMatchesPyTorch(t *testing.T) {
	r := load(t, "gpt")
	check(t, r, func() net {
		g, err := nn.NewGPT(r.GPT)
		if err != nil {
			t.Fatal(err)
		}
		return net{g.Params(), func() float64 {
			g.ZeroGrad()
			loss, _, dl := nn.LMCrossEntropy(g.Forward(r.IDs, r.B, r.T, nn.Train), r.Targets)
			g.Backward(dl)
			return loss
		}}
	})
}
