package optim

import "testing"

// The fixture uses lr 0.5 and wd 0.25 with dyadic values, so float32
// arithmetic is exact and the hand results are compared exactly.
const sgdLR, sgdWD = 0.5, 0.25

func TestSGDPlainTwoSteps(t *testing.T) {
	for _, decoupled := range []bool{false, true} {
		a, b, frozen, buf, all := fixture()
		o := &SGD{Decoupled: decoupled}
		o.Step(all, sgdLR, sgdWD)
		// a: (1 - 0.125)*[2, -4] - 0.5*[1, 0.5]; b has no decay: 1 - 0.5*0.25.
		near(t, "step1 a", a.W, []float64{1.25, -3.75}, 0)
		near(t, "step1 b", b.W, []float64{0.875}, 0)
		a.G[0], a.G[1], b.G[0] = 0.5, 1, 0.5
		o.Step(all, sgdLR, sgdWD)
		// a: 0.875*[1.25, -3.75] - 0.5*[0.5, 1]; b: 0.875 - 0.25.
		near(t, "step2 a", a.W, []float64{0.84375, -3.78125}, 0)
		near(t, "step2 b", b.W, []float64{0.625}, 0)
		untouched(t, frozen, buf)
	}
}

func TestSGDMomentumCoupled(t *testing.T) {
	a, b, frozen, buf, all := fixture()
	o := &SGD{Momentum: 0.9}
	o.Step(all, sgdLR, sgdWD)
	// First step: buf = g' = [1.5, -0.5] (b: 0.25), same as plain SGD.
	near(t, "step1 a", a.W, []float64{1.25, -3.75}, 0)
	near(t, "step1 b", b.W, []float64{0.875}, 0)
	a.G[0], a.G[1], b.G[0] = 0.5, 1, 0.5
	o.Step(all, sgdLR, sgdWD)
	// g' = [0.5+0.25*1.25, 1-0.25*3.75] = [0.8125, 0.0625];
	// buf = 0.9*[1.5, -0.5] + g' = [2.1625, -0.3875]; w = [1.25, -3.75] - 0.5*buf.
	// b: buf = 0.9*0.25 + 0.5 = 0.725; w = 0.875 - 0.3625.
	near(t, "step2 a", a.W, []float64{0.16875, -3.55625}, 1e-6)
	near(t, "step2 b", b.W, []float64{0.5125}, 1e-6)
	near(t, "momentum a", o.State()["momentum/a"], []float64{2.1625, -0.3875}, 1e-6)
	untouched(t, frozen, buf)
	if _, ok := o.State()["momentum/frozen"]; ok {
		t.Error("frozen parameter got a momentum buffer")
	}
}

func TestSGDMomentumDecoupled(t *testing.T) {
	a, b, frozen, buf, all := fixture()
	o := &SGD{Momentum: 0.9, Decoupled: true}
	o.Step(all, sgdLR, sgdWD)
	// w = 0.875*[2, -4] = [1.75, -3.5]; buf = g = [1, 0.5]; w -= 0.5*buf.
	near(t, "step1 a", a.W, []float64{1.25, -3.75}, 0)
	a.G[0], a.G[1], b.G[0] = 0.5, 1, 0.5
	o.Step(all, sgdLR, sgdWD)
	// w = 0.875*[1.25, -3.75] = [1.09375, -3.28125]; buf = 0.9*[1, 0.5] + [0.5, 1]
	// = [1.4, 1.45]; w -= 0.5*buf. b is not decayed: same as coupled.
	near(t, "step2 a", a.W, []float64{0.39375, -4.00625}, 1e-6)
	near(t, "step2 b", b.W, []float64{0.5125}, 1e-6)
	untouched(t, frozen, buf)
}

func TestSGDNesterov(t *testing.T) {
	a, _, frozen, buf, all := fixture()
	o := &SGD{Momentum: 0.9, Nesterov: true}
	o.Step(all, sgdLR, sgdWD)
	// buf = g' = [1.5, -0.5]; d = g' + 0.9*buf = [2.85, -0.95]; w = [2, -4] - 0.5*d.
	near(t, "a", a.W, []float64{0.575, -3.525}, 1e-6)
	untouched(t, frozen, buf)
}

func TestSGDValidate(t *testing.T) {
	for _, o := range []*SGD{{Momentum: 1}, {Momentum: -0.1}, {Nesterov: true}} {
		if o.Validate() == nil {
			t.Errorf("%+v: Validate accepted it", *o)
		}
	}
	if err := (&SGD{Momentum: 0.9, Nesterov: true}).Validate(); err != nil {
		t.Error(err)
	}
}
