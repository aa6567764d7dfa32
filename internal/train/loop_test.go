package train

import (
	"math"
	"reflect"
	"testing"

	"wdlab/internal/runio"
)

// recorder is a Regime that records the loop's calls; its step t diverges
// when t == divergeAt.
type recorder struct {
	steps, measured, saved []int
	divergeAt              int
}

func (r *recorder) Restore() (Position, bool, error) { return Position{}, false, nil }
func (r *recorder) Begin() error                     { return nil }
func (r *recorder) End()                             {}
func (r *recorder) Step(t int) (float64, bool, error) {
	r.steps = append(r.steps, t)
	if t == r.divergeAt {
		return math.NaN(), false, nil
	}
	return 1, true, nil
}
func (r *recorder) Measure(pos Position) (map[string]float64, error) {
	r.measured = append(r.measured, pos.Step)
	return map[string]float64{"step": float64(pos.Step), "win_steps": float64(pos.WinSteps)}, nil
}
func (r *recorder) Diverged(pos Position, loss float64) map[string]float64 {
	return map[string]float64{"step": float64(pos.Step)}
}
func (r *recorder) Save(pos Position) error        { r.saved = append(r.saved, pos.Step); return nil }
func (r *recorder) Line(map[string]float64) string { return "" }

// The loop steps 0..Steps-1 in order, evaluates and checkpoints at whole
// multiples of the units and at the last step, and reports each
// evaluation's window length.
func TestLoopPoints(t *testing.T) {
	for _, c := range []struct {
		name                  string
		b                     Budget
		steps, measured, save []int
		windows               []float64
	}{
		{"epochs", Budget{Steps: 10, Unit: 4, EvalEvery: 2, CheckpointEvery: 1}, seq(10), []int{8, 10}, []int{4, 8, 10}, []float64{8, 2}},
		{"steps", Budget{Steps: 7, Unit: 1, EvalEvery: 3, EvalAtStart: true}, seq(7), []int{0, 3, 6, 7}, []int{7}, []float64{0, 3, 3, 1}},
	} {
		t.Run(c.name, func(t *testing.T) {
			rg := &recorder{divergeAt: -1}
			s, lines, err := Loop{Budget: c.b}.Run(rg)
			if err != nil || s.Status != runio.StatusCompleted || s.Steps != c.b.Steps {
				t.Fatalf("%v %+v", err, s)
			}
			var windows []float64
			for _, m := range lines {
				windows = append(windows, m["win_steps"])
			}
			if !reflect.DeepEqual(rg.steps, c.steps) || !reflect.DeepEqual(rg.measured, c.measured) ||
				!reflect.DeepEqual(rg.saved, c.save) || !reflect.DeepEqual(windows, c.windows) {
				t.Errorf("steps %v, evaluations %v, checkpoints %v, windows %v; want %v %v %v %v",
					rg.steps, rg.measured, rg.saved, windows, c.steps, c.measured, c.save, c.windows)
			}
		})
	}
	rg := &recorder{divergeAt: 5}
	s, lines, err := Loop{Budget: Budget{Steps: 10, Unit: 1, EvalEvery: 1}}.Run(rg)
	if err != nil || s.Status != runio.StatusDiverged || s.Steps != 6 || len(lines) != 6 || lines[5]["step"] != 6 {
		t.Fatalf("diverging run: %v %+v, %d lines", err, s, len(lines))
	}
}

// seq is 0..n-1.
func seq(n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = i
	}
	return s
}
