//go:build cgo && linux && amd64 && dnnl

package dnnl

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"wdlab/internal/models"
	"wdlab/internal/nn"
	"wdlab/internal/nn/nntest"
	"wdlab/internal/optim"
)

// visionNets are small members of every convolutional model family: the
// tiny preset's PreAct-ResNet (width 8, one block per stage, 28x28x1),
// a width-16 one with identity blocks on 3 channels, the scale-invariant
// variant and VGG-16.
func visionNets(t *testing.T) map[string]nn.Desc {
	t.Helper()
	out := map[string]nn.Desc{}
	add := func(name string, d nn.Desc, err error) {
		if err != nil {
			t.Fatal(err)
		}
		out[name] = d
	}
	d, err := models.PreActResNet(models.ResNetSpec{Blocks: []int{1, 1, 1, 1}, Width: 8}, []int{28, 28, 1}, 10)
	add("resnet-tiny", d, err)
	d, err = models.PreActResNet(models.ResNetSpec{Blocks: []int{2, 2}, Width: 16}, []int{12, 12, 3}, 10)
	add("resnet-w16", d, err)
	d, err = models.PreActResNet(models.ResNetSpec{Blocks: []int{1, 1}, Width: 8, ScaleInv: true}, []int{12, 12, 3}, 10)
	add("resnet-si", d, err)
	d, err = models.VGG16(8, []int{32, 32, 3}, 10)
	add("vgg16", d, err)
	return out
}

// newExec builds an executor for m, closed when the test ends.
func newExec(t *testing.T, m *nn.Model) *Executor {
	t.Helper()
	e, err := New(m)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(e.Close)
	return e
}

func l2(v []float32) float64 {
	s := 0.0
	for _, x := range v {
		s += float64(x) * float64(x)
	}
	return math.Sqrt(s)
}

// relErr is ||a-b|| / max(||b||, floor).
func relErr(a, b []float32, floor float64) float64 {
	s := 0.0
	for i := range a {
		d := float64(a[i]) - float64(b[i])
		s += d * d
	}
	return math.Sqrt(s) / math.Max(l2(b), floor)
}

// valueFloor is the norm below which errors of parameter values count as
// absolute: a BN shift that moved 1e-5 from zero in three steps differs by
// float32 round-off of its O(1) inputs, not of itself.
const valueFloor = 1e-4

// roundoff returns, per parameter, how far ref's native gradients of
// (x, y) (ref: the model of seed seed after LossGrads) move when x is
// perturbed by float32 round-off (relative 1e-7,
// largest of eight draws): gradients that are sums whose terms nearly
// cancel (a weight followed by batch norm, a BN shift) amplify any
// rounding difference by the model's conditioning, whatever computes them,
// and a ReLU input within round-off of zero flips some of them by a fixed
// jump (at batch 128 half the draws move the stem's weight gradient by
// 5e-3, the others by 5e-4 or less).
func roundoff(t *testing.T, d nn.Desc, seed uint64, ref *nn.Model, x []float32, y []int32, n int) []float64 {
	t.Helper()
	out := make([]float64, len(ref.Params()))
	rng := rand.New(rand.NewPCG(seed, 99))
	for range 8 {
		m := nntest.Model(t, d, seed)
		xp := append([]float32(nil), x...)
		for i := range xp {
			xp[i] *= float32(1 + 1e-7*rng.NormFloat64())
		}
		m.LossGrads(xp, y, n)
		for i, p := range ref.Params() {
			if !p.Buffer && l2(p.G) > 0 {
				out[i] = math.Max(out[i], relErr(m.Params()[i].G, p.G, 0))
			}
		}
	}
	return out
}

// compare checks every parameter's values (and, with grads, gradients:
// parameter i within max(tol, 4 x slack[i]) when slack is given).
func compare(t *testing.T, what string, got, want *nn.Model, tol float64, grads bool, slack []float64) {
	t.Helper()
	gp, wp := got.Params(), want.Params()
	for i, p := range wp {
		if r := relErr(gp[i].W, p.W, valueFloor); r > tol || math.IsNaN(r) {
			t.Errorf("%s: %s: rel err %.2e", what, p.Name, r)
		}
		if !grads || p.Buffer {
			continue
		}
		// The bias of a conv feeding BN has a zero gradient: both sides
		// give rounding noise, so only its size is checked.
		if l2(p.G) < 1e-6 {
			if l2(gp[i].G) > 1e-5 {
				t.Errorf("%s: grad %s: norm %.2e, native %.2e", what, p.Name, l2(gp[i].G), l2(p.G))
			}
			continue
		}
		gtol := tol
		if slack != nil {
			gtol = math.Max(tol, 4*slack[i])
		}
		if r := relErr(gp[i].G, p.G, 0); r > gtol || math.IsNaN(r) {
			t.Errorf("%s: grad %s: rel err %.2e (allowed %.2e)", what, p.Name, r, gtol)
		}
	}
}

// matchOneStep checks that one step on n examples gives the native loss,
// gradients and BN running statistics, and returns the executor.
func matchOneStep(t *testing.T, d nn.Desc, n int) *Executor {
	t.Helper()
	ref, got := nntest.Model(t, d, 3), nntest.Model(t, d, 3)
	x, y := nntest.Batch(d, n, 4)
	want := ref.LossGrads(x, y, n)
	e := newExec(t, got)
	got.ZeroGrad()
	loss, err := e.Step(x, y, n)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(loss-want) > 1e-5*math.Abs(want) {
		t.Errorf("loss %v, native %v", loss, want)
	}
	compare(t, fmt.Sprintf("batch %d", n), got, ref, 1e-4, true, roundoff(t, d, 3, ref, x, y, n))
	return e
}

// The same parameters and batch give the same loss, gradients and BN
// running statistics on oneDNN and on the native engine.
func TestGradientsMatchNative(t *testing.T) {
	for name, d := range visionNets(t) {
		t.Run(name, func(t *testing.T) {
			e := matchOneStep(t, d, 8)
			for _, k := range e.Kernels() {
				if strings.Contains(k, "ref:") {
					t.Errorf("reference kernel in use: %s", k)
				}
			}
		})
	}
}

// The tiny preset's model at its training batch (128 images of 28x28,
// 100k values per channel in the first stage) agrees too: the batch-norm
// sums whose float32 rounding once left BN shift gradients 1e-3 off are
// float64 now.
func TestFullBatchGradientsMatchNative(t *testing.T) {
	matchOneStep(t, visionNets(t)["resnet-tiny"], 128)
}

// Three optimizer steps (SGD with momentum and weight decay) with an EMA
// give the same parameters, BN statistics and EMA weights on both paths.
func TestStepsMatchNative(t *testing.T) {
	for name, d := range visionNets(t) {
		t.Run(name, func(t *testing.T) {
			const n, lr, wd = 8, 0.05, 5e-3
			ref, got := nntest.Model(t, d, 5), nntest.Model(t, d, 5)
			refOpt, gotOpt := &optim.SGD{Momentum: 0.9}, &optim.SGD{Momentum: 0.9}
			refEMA, gotEMA := optim.NewEMA(ref.Params(), 0.9), optim.NewEMA(got.Params(), 0.9)
			e := newExec(t, got)
			for s := range 3 {
				x, y := nntest.Batch(d, n, uint64(10+s))
				want := ref.LossGrads(x, y, n)
				refOpt.Step(ref.Params(), lr, wd)
				refEMA.Update(ref.Params())
				got.ZeroGrad()
				loss, err := e.Step(x, y, n)
				if err != nil {
					t.Fatal(err)
				}
				gotOpt.Step(got.Params(), lr, wd)
				gotEMA.Update(got.Params())
				if math.Abs(loss-want) > 1e-4*math.Abs(want) {
					t.Errorf("step %d: loss %v, native %v", s, loss, want)
				}
			}
			compare(t, "after 3 steps", got, ref, 1e-4, false, nil)
			gw, rw := gotEMA.Weights(), refEMA.Weights()
			for i := range rw {
				if r := relErr(gw[i], rw[i], valueFloor); r > 1e-4 || math.IsNaN(r) {
					t.Errorf("EMA weight %s: rel err %.2e, norm %.3e", ref.Params()[i].Name, r, l2(rw[i]))
				}
			}
		})
	}
}

// Forward passes in Eval mode (running statistics) and Recalibrate mode
// (batch statistics folded into an average from reset statistics) give
// the native outputs and running statistics.
func TestForwardModesMatchNative(t *testing.T) {
	for name, d := range visionNets(t) {
		t.Run(name, func(t *testing.T) {
			const n = 8
			ref, got := nntest.Model(t, d, 5), nntest.Model(t, d, 5)
			e := newExec(t, got)
			for _, m := range []*nn.Model{ref, got} {
				for _, b := range m.BatchNorms() {
					b.ResetStats()
				}
			}
			check := func(what string, seed uint64, mode nn.Mode) {
				x, _ := nntest.Batch(d, n, seed)
				want := ref.Forward(&nn.Tensor{Shape: append([]int{n}, d.Input...), Data: x}, mode)
				out, err := e.Forward(x, n, mode)
				if err != nil {
					t.Fatal(err)
				}
				if r := relErr(out.Data, want.Data, 0); r > 1e-5 || math.IsNaN(r) {
					t.Errorf("%s: outputs rel err %.2e", what, r)
				}
			}
			check("recalibrate batch 1", 20, nn.Recalibrate)
			check("recalibrate batch 2", 21, nn.Recalibrate)
			compare(t, "after recalibration", got, ref, 1e-5, false, nil)
			check("eval", 22, nn.Eval)
		})
	}
}

// A batch of another size compiles its own primitives and still agrees.
func TestBatchSizes(t *testing.T) {
	d := visionNets(t)["resnet-tiny"]
	ref, got := nntest.Model(t, d, 7), nntest.Model(t, d, 7)
	e := newExec(t, got)
	for _, n := range []int{6, 3, 6} {
		x, y := nntest.Batch(d, n, uint64(n))
		want := ref.LossGrads(x, y, n)
		got.ZeroGrad()
		loss, err := e.Step(x, y, n)
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(loss-want) > 1e-5*math.Abs(want) {
			t.Errorf("batch %d: loss %v, native %v", n, loss, want)
		}
	}
	if len(e.nets) != 2 {
		t.Errorf("%d compiled nets for two batch sizes", len(e.nets))
	}
}

// Models without a convolutional trunk are refused with a reason.
func TestSupports(t *testing.T) {
	d, err := models.BNMLP([]int{16}, []int{6, 6, 1}, 5)
	if err != nil {
		t.Fatal(err)
	}
	if err := Supports(nntest.Model(t, d, 1)); err == nil {
		t.Error("BN-MLP accepted")
	}
	if err := Supports(nntest.Model(t, visionNets(t)["resnet-tiny"], 1)); err != nil {
		t.Error(err)
	}
}
