package train

import (
	"encoding/base64"
	"fmt"
	"os"
	"path/filepath"
	"slices"

	"wdlab/internal/optim"
	"wdlab/internal/runio"
)

// keptName is the file name of the checkpoint kept at step (train.keep_checkpoints).
func keptName(step int) string { return fmt.Sprintf("step-%d.safetensors", step) }

// saveCheckpoint writes GPT weights, optimizer, EMA, loop and sampler
// state, and keeps a copy when the step is one of train.keep_checkpoints.
func (r *LMRunner) saveCheckpoint(p lmProgress) error {
	sampler := base64.StdEncoding.EncodeToString(r.Sampler.State())
	if err := r.state().save(r.Dir, p, map[string]string{"sampler": sampler}); err != nil {
		return err
	}
	if !slices.Contains(r.Cfg.Train.KeepCheckpoints, p.Step) {
		return nil
	}
	ck := filepath.Join(r.Dir, runio.CheckpointDir)
	b, err := os.ReadFile(filepath.Join(ck, ckptName))
	if err != nil {
		return err
	}
	return runio.WriteFileAtomic(filepath.Join(ck, keptName(p.Step)), b, 0o644)
}

// loadCheckpoint restores the run state from r.Dir; false when there is none.
func (r *LMRunner) loadCheckpoint(p *lmProgress) (bool, error) {
	meta, ok, err := r.state().load(r.Dir, p)
	if !ok || err != nil {
		return ok, err
	}
	if err := r.restoreSampler(meta); err != nil {
		return false, fmt.Errorf("checkpoint: %v", err)
	}
	return true, nil
}

// restoreSampler sets the sampler to the position a checkpoint's metadata saved.
func (r *LMRunner) restoreSampler(meta map[string]string) error {
	st, err := base64.StdEncoding.DecodeString(meta["sampler"])
	if err == nil {
		err = r.Sampler.Restore(st)
	}
	if err != nil {
		return fmt.Errorf("sampler state: %v", err)
	}
	return nil
}

// initFrom starts the run from another run's checkpoint (its last, or the
// one kept at train.init_step). By default only the weights are loaded
// and the EMA restarts from them; with train.init_state the run continues
// from the checkpoint's Adam state, EMA and data position, under this
// run's optimizer settings, schedule and step budget (tiny-LR
// fine-tuning). The one-pass budget is checked from that position.
func (r *LMRunner) initFrom(dir string) error {
	name := ckptName
	if s := r.Cfg.Train.InitStep; s > 0 {
		name = keptName(s)
	}
	path := filepath.Join(dir, runio.CheckpointDir, name)
	if !r.Cfg.Train.InitState {
		if _, err := readWeights(path, r.Model.Params()); err != nil {
			return &errInitFrom{dir, err}
		}
		if r.EMA != nil {
			r.EMA = optim.NewEMA(r.Model.Params(), r.Cfg.Train.EMA)
		}
		return nil
	}
	var src lmProgress
	meta, ok, err := r.state().loadFile(path, &src)
	if err == nil && !ok {
		err = fmt.Errorf("%s: %w", path, os.ErrNotExist)
	}
	if err == nil {
		err = r.restoreSampler(meta)
	}
	if err != nil {
		return &errInitFrom{dir, err}
	}
	return checkBudget(r.Cfg, r.Sampler)
}

// errInitFrom reports a bad train.init_from directory.
type errInitFrom struct {
	dir string
	err error
}

func (e *errInitFrom) Error() string { return fmt.Sprintf("train.init_from %s: %v", e.dir, e.err) }
func (e *errInitFrom) Unwrap() error { return e.err }
