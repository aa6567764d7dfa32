package exp

import (
	"wdlab/internal/store"
	"wdlab/internal/sweep"
)

// emit prepares out and writes a Slurm or Kubernetes job for the sweep.
func emit(sw *sweep.Sweep, out string, o Options) (string, error) {
	st, err := store.Open(out)
	if err != nil {
		return "", err
	}
	defer st.Close()
	if err := sweep.Prepare(sw, out, st); err != nil {
		return "", err
	}
	return sweep.Emit(sw, out, o.Emit, sweep.EmitOptions{Exe: o.Exe, Workers: o.Workers})
}
