package probe

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"wdlab/internal/ckpt"
	"wdlab/internal/data"
	"wdlab/internal/nn"
)

// SnapshotDir is the folder of a run directory that holds the snapshot
// ensemble's iterates, one safetensors file per epoch.
const SnapshotDir = "checkpoints/snapshots"

// Ensemble is the snapshot ensemble of the paper's Tables 2-3: the last Size SGD
// iterates (weights and BN buffers), one per epoch from epoch From on, whose
// averaged softmax outputs on the test set are compared with the EMA model.
// With a Dir, every snapshot is also written there, so an ensemble rebuilt
// after a resume reloads the snapshots taken before the checkpoint.
type Ensemble struct {
	Size, From int
	Dir        string // "" keeps snapshots in memory only
	Batch      int    // evaluation batch size

	probs   map[int]Probs // test softmax of the snapshot of each epoch in the window
	scratch *nn.Model     // model that reloaded snapshots are evaluated with
}

// Add takes the snapshot of model m at epoch (epoch >= From), keeps the
// window of the last Size epochs and returns the ensemble's test softmax
// and the number of snapshots in it.
func (e *Ensemble) Add(m *nn.Model, test *data.Dataset, epoch int) (Probs, int, error) {
	if e.probs == nil {
		e.probs = map[int]Probs{}
	}
	if e.Dir != "" {
		if err := os.MkdirAll(e.Dir, 0o755); err != nil {
			return Probs{}, 0, fmt.Errorf("snapshot ensemble: %w", err)
		}
		if err := ckpt.Write(e.path(epoch), snapshotFile(m)); err != nil {
			return Probs{}, 0, fmt.Errorf("snapshot ensemble: %w", err)
		}
	}
	e.probs[epoch] = Softmax(m, test, e.Batch)
	lo := max(e.From, epoch-e.Size+1)
	var window []Probs
	for ep := lo; ep <= epoch; ep++ {
		p, ok := e.probs[ep]
		if !ok {
			var err error
			if p, err = e.reload(m, test, ep); err != nil {
				return Probs{}, 0, err
			}
			e.probs[ep] = p
		}
		window = append(window, p)
	}
	if err := e.dropBefore(lo); err != nil {
		return Probs{}, 0, err
	}
	return Average(window), len(window), nil
}

// reload evaluates the snapshot file of epoch ep (after a resume).
func (e *Ensemble) reload(like *nn.Model, test *data.Dataset, ep int) (Probs, error) {
	path := e.path(ep)
	if e.Dir == "" {
		return Probs{}, fmt.Errorf("snapshot ensemble: no snapshot of epoch %d in memory", ep)
	}
	f, err := ckpt.Read(path)
	if err != nil {
		return Probs{}, fmt.Errorf("snapshot ensemble: the snapshot of epoch %d is needed after resuming: %w", ep, err)
	}
	if e.scratch == nil {
		if e.scratch, err = nn.Build(like.Desc); err != nil {
			return Probs{}, err
		}
	}
	for _, p := range e.scratch.Params() {
		t, ok := f.Tensors[p.Name]
		if !ok || len(t.Data) != len(p.W) {
			return Probs{}, fmt.Errorf("%s: tensor %s missing or mis-sized", path, p.Name)
		}
		copy(p.W, t.Data)
	}
	return Softmax(e.scratch, test, e.Batch), nil
}

// dropBefore forgets, and deletes the files of, snapshots older than epoch lo.
func (e *Ensemble) dropBefore(lo int) error {
	for ep := range e.probs {
		if ep < lo {
			delete(e.probs, ep)
		}
	}
	if e.Dir == "" {
		return nil
	}
	entries, err := os.ReadDir(e.Dir)
	if err != nil {
		return fmt.Errorf("snapshot ensemble: %w", err)
	}
	for _, de := range entries {
		var ep int
		if _, err := fmt.Sscanf(de.Name(), "epoch-%d.safetensors", &ep); err != nil || !strings.HasSuffix(de.Name(), ".safetensors") {
			continue
		}
		if ep < lo {
			if err := os.Remove(filepath.Join(e.Dir, de.Name())); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return fmt.Errorf("snapshot ensemble: %w", err)
			}
		}
	}
	return nil
}

// path is the snapshot file of an epoch.
func (e *Ensemble) path(epoch int) string {
	return filepath.Join(e.Dir, fmt.Sprintf("epoch-%06d.safetensors", epoch))
}

// snapshotFile holds all parameters and buffers of m under their names.
func snapshotFile(m *nn.Model) ckpt.File {
	f := ckpt.File{Tensors: map[string]ckpt.Tensor{}}
	for _, p := range m.Params() {
		f.Tensors[p.Name] = ckpt.Tensor{Shape: p.Shape, Data: p.W}
	}
	return f
}
