package sweep

import "wdlab/internal/store"

// EmitJob prepares out (sweep files and the run store, as Prepare does) and
// writes the Slurm or Kubernetes job for the sweep; it returns the job file.
func EmitJob(sw *Sweep, out, kind string, opt EmitOptions) (string, error) {
	st, err := store.Open(out)
	if err != nil {
		return "", err
	}
	defer st.Close()
	if err := Prepare(sw, out, st); err != nil {
		return "", err
	}
	return Emit(sw, out, kind, opt)
}
