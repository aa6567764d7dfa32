package optim

import "fmt"

// Schedule gives the learning rate of an optimizer step (0-based).
type Schedule interface {
	At(step int) float64
}

// Constant is a fixed learning rate.
type Constant struct{ LR float64 }

// At returns LR.
func (s Constant) At(int) float64 { return s.LR }

// StepDrop is the vision schedule (paper, Section 2 and Fig. 2): LR0 before DropStep, LRAfter
// from DropStep on. Weight decay is not part of the schedule and stays
// unchanged after the drop. The vision loop passes
// DropStep = int(epochs*first_decay)*stepsPerEpoch.
type StepDrop struct {
	LR0, LRAfter float64
	DropStep     int
}

// At returns LR0 for step < DropStep and LRAfter otherwise.
func (s StepDrop) At(step int) float64 {
	if step < s.DropStep {
		return s.LR0
	}
	return s.LRAfter
}

// Validate reports a negative drop step.
func (s StepDrop) Validate() error {
	if s.DropStep < 0 {
		return fmt.Errorf("optim: step-drop step %d must be >= 0", s.DropStep)
	}
	return nil
}
