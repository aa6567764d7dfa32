package optim

import (
	"math"
	"testing"
)

func TestSchedules(t *testing.T) {
	cos := WarmupCosine{Max: 1, Min: 0.1, Warmup: 10, DecayEnd: 110}
	drop := StepDrop{LR0: 0.1, LRAfter: 1e-3, DropStep: 500}
	cases := []struct {
		name string
		s    Schedule
		step int
		want float64
	}{
		{"constant", Constant{LR: 0.3}, 12345, 0.3},
		{"drop before", drop, 499, 0.1},
		{"drop at", drop, 500, 1e-3},
		{"drop after", drop, 10000, 1e-3},
		{"warm-up start", cos, 0, 0},
		{"warm-up mid", cos, 5, 0.5},
		{"warm-up last", cos, 9, 0.9},
		{"warm-up end = cosine start", cos, 10, 1},
		// ratio 1/4: 0.1 + (1+cos(pi/4))/2*0.9.
		{"cosine quarter", cos, 35, 0.1 + 0.45*(1+math.Sqrt2/2)},
		{"cosine half", cos, 60, 0.55},
		{"decay end", cos, 110, 0.1},
		{"after decay end", cos, 111, 0.1},
		{"long after", cos, 100000, 0.1},
		{"degenerate cosine", WarmupCosine{Max: 2, Min: 1, Warmup: 5, DecayEnd: 5}, 5, 2},
		{"constant-lr cosine keeps warm-up", WarmupCosine{Max: 2, Min: 2, Warmup: 4, DecayEnd: 100}, 1, 0.5},
	}
	for _, c := range cases {
		if got := c.s.At(c.step); math.Abs(got-c.want) > 1e-12 {
			t.Errorf("%s: At(%d) = %.15g, want %.15g", c.name, c.step, got, c.want)
		}
	}
}

func TestScheduleValidate(t *testing.T) {
	bad := []interface{ Validate() error }{
		StepDrop{DropStep: -1},
		WarmupCosine{Warmup: -1, DecayEnd: 5},
		WarmupCosine{Warmup: 10, DecayEnd: 5},
	}
	for _, s := range bad {
		if s.Validate() == nil {
			t.Errorf("%+v: Validate accepted it", s)
		}
	}
	good := []interface{ Validate() error }{
		StepDrop{DropStep: 0},
		WarmupCosine{Warmup: 10, DecayEnd: 10},
	}
	for _, s := range good {
		if err := s.Validate(); err != nil {
			t.Errorf("%+v: %v", s, err)
		}
	}
}
