package train

import (
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

// progress is the loop position saved in checkpoints. The data order is a
// pure function of (seed, epoch), so no RNG state beyond it is needed.
type progress struct {
	Epoch int     `json:"epoch"` // completed epochs
	Step  int     `json:"step"`
	WallS float64 `json:"wall_s"`
	// Accumulators since the last evaluation point.
	AngSum   float64 `json:"ang_sum"`
	CESum    float64 `json:"ce_sum"`
	WinSteps int     `json:"win_steps"`
	WinSecs  float64 `json:"win_secs"`
}

const ckptName = "last.safetensors"

// saveCheckpoint writes model, buffers, optimizer and EMA state atomically.
func (r *Runner) saveCheckpoint(p progress) error {
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
	f.Metadata["optimizer"] = r.Opt.Name()
	if err := os.MkdirAll(filepath.Join(r.Dir, runio.CheckpointDir), 0o755); err != nil {
		return err
	}
	return ckpt.Write(filepath.Join(r.Dir, runio.CheckpointDir, ckptName), f)
}

// loadCheckpoint restores the run state; ok is false when there is none.
func (r *Runner) loadCheckpoint() (p progress, ok bool, err error) {
	path := filepath.Join(r.Dir, runio.CheckpointDir, ckptName)
	f, err := ckpt.Read(path)
	if errors.Is(err, os.ErrNotExist) {
		return p, false, nil
	} else if err != nil {
		return p, false, err
	}
	if err := json.Unmarshal([]byte(f.Metadata["progress"]), &p); err != nil {
		return p, false, fmt.Errorf("%s: bad progress metadata: %v", path, err)
	}
	for _, prm := range r.Model.Params() {
		t, found := f.Tensors["model/"+prm.Name]
		if !found || len(t.Data) != len(prm.W) {
			return p, false, fmt.Errorf("%s: tensor model/%s missing or mis-sized", path, prm.Name)
		}
		copy(prm.W, t.Data)
	}
	opt, ema := map[string][]float32{}, map[string][]float32{}
	for k, t := range f.Tensors {
		if s, found := strings.CutPrefix(k, "optim/"); found {
			opt[s] = t.Data
		} else if s, found := strings.CutPrefix(k, "ema/"); found {
			ema[s] = t.Data
		}
	}
	if err := optim.Restore(r.Opt, r.Model.Params(), opt); err != nil {
		return p, false, fmt.Errorf("%s: %w", path, err)
	}
	if r.EMA != nil {
		if err := r.EMA.LoadState(ema); err != nil {
			return p, false, fmt.Errorf("%s: %w", path, err)
		}
	}
	return p, true, nil
}
