package optim

import (
	"math"
	"testing"

	"wdlab/internal/nn"
)

// adamFixture: lr 0.1, wd 0.5; "a" is decayed, "b" is not.
func adamFixture() (a, b, frozen, buf *nn.Param, all []*nn.Param) {
	a = param("a", true, []float32{1, -2}, []float32{0.5, -1})
	b = param("b", false, []float32{3}, []float32{2})
	_, _, frozen, buf, _ = fixture()
	return a, b, frozen, buf, []*nn.Param{a, b, frozen, buf}
}

func TestAdamWTwoSteps(t *testing.T) {
	a, b, frozen, buf, all := adamFixture()
	o := NewAdamW()
	o.Step(all, 0.1, 0.5)
	// a: w = 0.95*[1, -2]; m = 0.1*g; v = 0.05*g^2; bc1 = 0.1, bc2 = 0.05,
	// so mhat = [0.5, -1], sqrt(vhat) = [0.5, 1]: w -= 0.1*mhat/(sqrt(vhat)+1e-8).
	near(t, "step1 a", a.W, []float64{0.850000002, -1.800000001}, 2e-6)
	// b: no decay; mhat = 2, sqrt(vhat) = 2.
	near(t, "step1 b", b.W, []float64{2.9000000005}, 2e-6)
	a.G[0], a.G[1], b.G[0] = -0.5, 2, 0
	o.Step(all, 0.1, 0.5)
	// a: w = 0.95*w1; m = [-0.005, 0.11]; v = [0.024375, 0.2475];
	// bc1 = 0.19, bc2 = 0.0975; w -= 0.1*(m/0.19)/(sqrt(v/0.0975)+1e-8).
	near(t, "step2 a", a.W, []float64{0.812763159689, -1.746337395770}, 2e-6)
	near(t, "m a", o.State()["adam_m/a"], []float64{-0.005, 0.11}, 1e-8)
	near(t, "v a", o.State()["adam_v/a"], []float64{0.024375, 0.2475}, 1e-8)
	// b: m = 0.18, v = 0.19.
	near(t, "step2 b", b.W, []float64{2.832135226305}, 2e-6)
	untouched(t, frozen, buf)
	// avg_adam_elr = mean of 0.1/(sqrt(v)+1e-8) over v = [0.024375, 0.2475, 0.19].
	if got, want := o.AdamELR(all, 0.1), 0.356978620605; math.Abs(got-want) > 1e-6 {
		t.Errorf("AdamELR = %.9g, want %.9g", got, want)
	}
}

func TestAdamL2OneStep(t *testing.T) {
	a, b, frozen, buf, all := adamFixture()
	o := NewAdamW()
	o.L2 = true
	o.Step(all, 0.1, 0.5)
	// a: g' = g + 0.5*w = [1, -2]; mhat = [1, -2], sqrt(vhat) = [1, 2];
	// w = [1, -2] - 0.1*[1, -1], no decoupled shrink.
	near(t, "a", a.W, []float64{0.900000001, -1.9000000005}, 2e-6)
	near(t, "b", b.W, []float64{2.9000000005}, 2e-6)
	untouched(t, frozen, buf)
	if o.Name() != "adam_l2" || NewAdamW().Name() != "adamw" {
		t.Errorf("names %q %q", o.Name(), NewAdamW().Name())
	}
}

func TestAdamWValidate(t *testing.T) {
	bad := []AdamW{{Beta1: 1, Beta2: 0.9, Eps: 1e-8}, {Beta1: 0.9, Beta2: -1, Eps: 1e-8}, {Beta1: 0.9, Beta2: 0.95}}
	for _, o := range bad {
		if o.Validate() == nil {
			t.Errorf("%+v: Validate accepted it", o)
		}
	}
	if err := NewAdamW().Validate(); err != nil {
		t.Error(err)
	}
	if got := NewAdamW().AdamELR(nil, 0.1); got != 0 {
		t.Errorf("AdamELR before any step = %v, want 0", got)
	}
}

// Adam+L2 with AddPenalty before clipping clips the full gradient g + wd*w
// (as the paper's code, which adds the penalty to the loss) and Step does
// not add the term a second time; the step after that adds it again.
func TestAdamL2PenaltyBeforeClip(t *testing.T) {
	a, b, _, _, all := adamFixture()
	o := NewAdamW()
	o.L2 = true
	var gp GradPenalty = o
	gp.AddPenalty(all, 0.5)
	// a: g' = [0.5, -1] + 0.5*[1, -2] = [1, -2]; b (no decay): 2. Norm 3.
	norm, clipped := ClipGradNorm(all, 1.5)
	if math.Abs(norm-3) > 1e-9 || !clipped {
		t.Fatalf("norm %v clipped %v, want 3 (the penalty counted) and clipped", norm, clipped)
	}
	o.Step(all, 0.1, 0.5)
	s := 1.5 / (3 + 1e-6)
	near(t, "m a", o.State()["adam_m/a"], []float64{0.1 * s, -0.2 * s}, 1e-7)
	near(t, "m b", o.State()["adam_m/b"], []float64{0.2 * s}, 1e-7)
	// No shrink and no second penalty: the first Adam step moves each
	// weight by lr against the sign of its gradient.
	near(t, "a", a.W, []float64{0.9, -1.9}, 2e-6)
	near(t, "b", b.W, []float64{2.9}, 2e-6)
	// Without AddPenalty, the next Step adds the term itself: g = 0 + 0.5*w.
	a.G[0], a.G[1], b.G[0] = 0, 0, 0
	o.Step(all, 0.1, 0.5)
	wantM := []float64{0.9*0.1*s + 0.1*0.5*0.9, 0.9*-0.2*s + 0.1*0.5*-1.9}
	near(t, "m a after a plain step", o.State()["adam_m/a"], wantM, 1e-6)
}
