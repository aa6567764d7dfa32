package train

// progress is a vision checkpoint's loop position and evaluation-window
// sums. The data order is a pure function of (seed, epoch), so the step
// number is the whole sampler state, mid-epoch included.
type progress struct {
	Position
	AngSum float64 `json:"ang_sum"`
	CESum  float64 `json:"ce_sum"`
}

// saveCheckpoint writes model, buffers, optimizer, EMA and loop state.
func (r *Runner) saveCheckpoint(p progress) error {
	return r.state().save(r.Dir, p, nil)
}

// loadCheckpoint restores the run state; ok is false when there is none.
func (r *Runner) loadCheckpoint() (p progress, ok bool, err error) {
	_, ok, err = r.state().load(r.Dir, &p)
	return p, ok, err
}
