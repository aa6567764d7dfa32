package train

// progress is the loop position saved in checkpoints. The data order is a
// pure function of (seed, epoch), so no RNG state beyond it is needed.
type progress struct {
	Epoch int     `json:"epoch"` // completed epochs
	Step  int     `json:"step"`
	WallS float64 `json:"wall_s"`
	// Lines is the number of metrics.jsonl lines when the checkpoint was written.
	Lines int `json:"lines,omitempty"`
	// Accumulators since the last evaluation point.
	AngSum   float64 `json:"ang_sum"`
	CESum    float64 `json:"ce_sum"`
	WinSteps int     `json:"win_steps"`
	WinSecs  float64 `json:"win_secs"`
}

// saveCheckpoint writes model, buffers, optimizer, EMA and loop state.
func (r *Runner) saveCheckpoint(p progress) error {
	return trainState{r.Model.Params(), r.Opt, r.EMA}.save(r.Dir, p, nil)
}

// loadCheckpoint restores the run state; ok is false when there is none.
func (r *Runner) loadCheckpoint() (p progress, ok bool, err error) {
	_, ok, err = trainState{r.Model.Params(), r.Opt, r.EMA}.load(r.Dir, &p)
	return p, ok, err
}
