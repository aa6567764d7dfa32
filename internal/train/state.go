package train

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"wdlab/internal/ckpt"
	"wdlab/internal/nn"
	"wdlab/internal/optim"
	"wdlab/internal/runio"
)

const ckptName = runio.CheckpointFile

// State is a run's native training state: parameters and buffers,
// optimizer and EMA (nil without). A checkpoint holds it with the loop
// position (JSON metadata); an accelerator mirrors it.
type State struct {
	Params []*nn.Param
	Opt    optim.Optimizer
	EMA    *optim.EMA
}

// AfterStep completes a vision step whose optimizer update has been
// applied to s: it updates the EMA and returns the scale-invariant group's
// angular update since *siPrev, which it replaces with the new weights.
func (s State) AfterStep(siPrev *[][]float32) (angle float64) {
	if s.EMA != nil {
		s.EMA.Update(s.Params)
	}
	siCur := optim.SnapshotParams(s.Params, IsScaleInv)
	if len(siCur) > 0 {
		angle = optim.AngularUpdate(*siPrev, siCur)
	}
	*siPrev = siCur
	return angle
}

// save writes the state plus metadata (progress and extra) atomically to
// dir/checkpoints/last.safetensors.
func (s State) save(dir string, progress any, extra map[string]string) error {
	f := ckpt.File{Tensors: map[string]ckpt.Tensor{}, Metadata: map[string]string{}}
	for _, p := range s.Params {
		f.Tensors["model/"+p.Name] = ckpt.Tensor{Shape: p.Shape, Data: p.W}
	}
	for k, v := range s.Opt.State() {
		f.Tensors["optim/"+k] = ckpt.Tensor{Shape: []int{len(v)}, Data: v}
	}
	if s.EMA != nil {
		for k, v := range s.EMA.State() {
			f.Tensors["ema/"+k] = ckpt.Tensor{Shape: []int{len(v)}, Data: v}
		}
	}
	pj, _ := json.Marshal(progress)
	f.Metadata["progress"] = string(pj)
	f.Metadata["optimizer"] = s.Opt.Name()
	for k, v := range extra {
		f.Metadata[k] = v
	}
	if err := os.MkdirAll(filepath.Join(dir, runio.CheckpointDir), 0o755); err != nil {
		return err
	}
	return ckpt.Write(filepath.Join(dir, runio.CheckpointDir, ckptName), f)
}

// load restores the state from dir's checkpoint into s and progress and
// returns the file's metadata; found is false when there is no checkpoint.
func (s State) load(dir string, progress any) (meta map[string]string, found bool, err error) {
	return s.loadFile(filepath.Join(dir, runio.CheckpointDir, ckptName), progress)
}

// loadFile is load from the checkpoint file path.
func (s State) loadFile(path string, progress any) (meta map[string]string, found bool, err error) {
	f, err := readWeights(path, s.Params)
	if errors.Is(err, os.ErrNotExist) {
		return nil, false, nil
	} else if err != nil {
		return nil, false, err
	}
	if err := json.Unmarshal([]byte(f.Metadata["progress"]), progress); err != nil {
		return nil, false, fmt.Errorf("%s: bad progress metadata: %v", path, err)
	}
	opt, ema := map[string][]float32{}, map[string][]float32{}
	for k, t := range f.Tensors {
		if name, ok := strings.CutPrefix(k, "optim/"); ok {
			opt[name] = t.Data
		} else if name, ok := strings.CutPrefix(k, "ema/"); ok {
			ema[name] = t.Data
		}
	}
	if err := optim.Restore(s.Opt, s.Params, opt); err != nil {
		return nil, false, fmt.Errorf("%s: %w", path, err)
	}
	if s.EMA != nil {
		if err := s.EMA.LoadState(ema); err != nil {
			return nil, false, fmt.Errorf("%s: %w", path, err)
		}
	}
	return f.Metadata, true, nil
}

// readWeights reads a checkpoint file and copies its model tensors into params.
func readWeights(path string, params []*nn.Param) (ckpt.File, error) {
	f, err := ckpt.Read(path)
	if err != nil {
		return f, err
	}
	for _, p := range params {
		t, ok := f.Tensors["model/"+p.Name]
		if !ok || len(t.Data) != len(p.W) {
			return f, fmt.Errorf("%s: tensor model/%s missing or mis-sized", path, p.Name)
		}
		copy(p.W, t.Data)
	}
	return f, nil
}
