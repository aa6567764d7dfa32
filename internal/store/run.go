package store

import "time"

// Run is one row of the runs table.
type Run struct {
	ID         int64     // row id, the key of its metrics
	Dir        string    // relative to the store's root when inside it (see Store.Abs)
	Name       string    // display name (the cell directory's name in sweeps)
	Experiment string    // the sweep or experiment the run belongs to
	CellIndex  int       // the sweep cell index, -1 outside sweeps
	Status     string    // pending, running, completed, diverged or failed
	ConfigYAML string    // the resolved config once finished, else the planned one
	Started    time.Time // zero if never started
	Finished   time.Time // zero if not finished
	WallS      float64   // training wall time from summary.json
	Attempts   int       // how many times the run was started
}

// Filter selects runs in List; empty fields match everything.
type Filter struct {
	Experiment string // only runs of this sweep or experiment
	Status     string // only runs with this status
}
