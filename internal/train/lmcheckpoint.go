package train

import (
	"encoding/base64"
	"fmt"
	"path/filepath"

	"wdlab/internal/optim"
	"wdlab/internal/runio"
)

// saveCheckpoint writes GPT weights, optimizer, EMA, loop and sampler state.
func (r *LMRunner) saveCheckpoint(p lmProgress) error {
	sampler := base64.StdEncoding.EncodeToString(r.Sampler.State())
	return r.state().save(r.Dir, p, map[string]string{"sampler": sampler})
}

// loadCheckpoint restores the run state from r.Dir; false when there is none.
func (r *LMRunner) loadCheckpoint(p *lmProgress) (bool, error) {
	meta, ok, err := r.state().load(r.Dir, p)
	if !ok || err != nil {
		return ok, err
	}
	st, err := base64.StdEncoding.DecodeString(meta["sampler"])
	if err == nil {
		err = r.Sampler.Restore(st)
	}
	if err != nil {
		return false, fmt.Errorf("checkpoint: sampler state: %v", err)
	}
	return true, nil
}

// initFrom loads only the model weights of another run's last checkpoint
// (and restarts the EMA from them).
func (r *LMRunner) initFrom(dir string) error {
	if _, err := readWeights(filepath.Join(dir, runio.CheckpointDir, ckptName), r.Model.Params()); err != nil {
		return &errInitFrom{dir, err}
	}
	if r.EMA != nil {
		r.EMA = optim.NewEMA(r.Model.Params(), r.Cfg.Train.EMA)
	}
	return nil
}

// errInitFrom reports a bad train.init_from directory.
type errInitFrom struct {
	dir string
	err error
}

func (e *errInitFrom) Error() string { return fmt.Sprintf("train.init_from %s: %v", e.dir, e.err) }
func (e *errInitFrom) Unwrap() error { return e.err }
