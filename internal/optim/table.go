package optim

import (
	"fmt"
	"sort"
)

// Table is a piecewise-constant schedule: step t uses LRs[i] for the largest
// i with Steps[i] <= t. Steps must start at 0 and increase strictly (see
// Validate); steps before Steps[0] use LRs[0].
type Table struct {
	Steps []int
	LRs   []float64
}

// At returns the learning rate of step t.
func (s Table) At(t int) float64 {
	i := sort.SearchInts(s.Steps, t+1) - 1 // last index with Steps[i] <= t
	if i < 0 {
		i = 0
	}
	return s.LRs[i]
}

// Validate reports an empty table, mismatched lengths, a first step other
// than 0 or steps that do not increase strictly.
func (s Table) Validate() error {
	if len(s.Steps) == 0 || len(s.Steps) != len(s.LRs) {
		return fmt.Errorf("optim: lr table needs equal, non-zero numbers of steps and rates (got %d and %d)", len(s.Steps), len(s.LRs))
	}
	if s.Steps[0] != 0 {
		return fmt.Errorf("optim: lr table must start at step 0, not %d", s.Steps[0])
	}
	for i := 1; i < len(s.Steps); i++ {
		if s.Steps[i] <= s.Steps[i-1] {
			return fmt.Errorf("optim: lr table steps must increase: %d after %d", s.Steps[i], s.Steps[i-1])
		}
	}
	return nil
}
