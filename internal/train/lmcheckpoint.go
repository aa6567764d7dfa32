package train

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"wdlab/internal/ckpt"
	"wdlab/internal/optim"
	"wdlab/internal/runio"
)

// saveCheckpoint writes GPT weights, optimizer, EMA and sampler state.
func (r *LMRunner) saveCheckpoint(p lmProgress) error {
	f := ckpt.File{Tensors: map[string]ckpt.Tensor{}, Metadata: map[string]string{}}
	for _, prm := range r.Model.Params() {
		f.Tensors["model/"+prm.Name] = ckpt.Tensor{Shape: prm.Shape, Data: prm.W}
	}
	for k, v := range r.Opt.State() {
		f.Tensors["optim/"+k] = ckpt.Tensor{Shape: []int{len(v)}, Data: v}
	}
	if r.EMA != nil {
		for k, v := range r.EMA.State() {
			f.Tensors["ema/"+k] = ckpt.Tensor{Shape: []int{len(v)}, Data: v}
		}
	}
	pj, _ := json.Marshal(p)
	f.Metadata["progress"] = string(pj)
	f.Metadata["sampler"] = base64.StdEncoding.EncodeToString(r.Sampler.State())
	if err := os.MkdirAll(filepath.Join(r.Dir, runio.CheckpointDir), 0o755); err != nil {
		return err
	}
	return ckpt.Write(filepath.Join(r.Dir, runio.CheckpointDir, ckptName), f)
}

// loadCheckpoint restores the run state from r.Dir; false when there is none.
func (r *LMRunner) loadCheckpoint(p *lmProgress) (bool, error) {
	f, err := r.readWeights(r.Dir)
	if errors.Is(err, os.ErrNotExist) {
		return false, nil
	} else if err != nil {
		return false, err
	}
	if err := json.Unmarshal([]byte(f.Metadata["progress"]), p); err != nil {
		return false, fmt.Errorf("checkpoint: bad progress metadata: %v", err)
	}
	st, err := base64.StdEncoding.DecodeString(f.Metadata["sampler"])
	if err == nil {
		err = r.Sampler.Restore(st)
	}
	if err != nil {
		return false, fmt.Errorf("checkpoint: sampler state: %v", err)
	}
	opt, ema := map[string][]float32{}, map[string][]float32{}
	for k, t := range f.Tensors {
		if s, ok := strings.CutPrefix(k, "optim/"); ok {
			opt[s] = t.Data
		} else if s, ok := strings.CutPrefix(k, "ema/"); ok {
			ema[s] = t.Data
		}
	}
	if err := optim.Restore(r.Opt, r.Model.Params(), opt); err != nil {
		return false, err
	}
	if r.EMA != nil {
		return true, r.EMA.LoadState(ema)
	}
	return true, nil
}

// initFrom loads only the model weights of another run's last checkpoint
// (and restarts the EMA from them).
func (r *LMRunner) initFrom(dir string) error {
	if _, err := r.readWeights(dir); err != nil {
		return &errInitFrom{dir, err}
	}
	if r.EMA != nil {
		r.EMA = optim.NewEMA(r.Model.Params(), r.Cfg.Train.EMA)
	}
	return nil
}

// readWeights reads dir's last checkpoint and copies its model tensors in.
func (r *LMRunner) readWeights(dir string) (ckpt.File, error) {
	path := filepath.Join(dir, runio.CheckpointDir, ckptName)
	f, err := ckpt.Read(path)
	if err != nil {
		return f, err
	}
	for _, prm := range r.Model.Params() {
		t, ok := f.Tensors["model/"+prm.Name]
		if !ok || len(t.Data) != len(prm.W) {
			return f, fmt.Errorf("%s: tensor model/%s missing or mis-sized", path, prm.Name)
		}
		copy(prm.W, t.Data)
	}
	return f, nil
}

// errInitFrom reports a bad train.init_from directory.
type errInitFrom struct {
	dir string
	err error
}

func (e *errInitFrom) Error() string { return fmt.Sprintf("train.init_from %s: %v", e.dir, e.err) }
func (e *errInitFrom) Unwrap() error { return e.err }
