package train

import (
	"errors"
	"path/filepath"
	"reflect"
	"testing"

	"wdlab/internal/ckpt"
	"wdlab/internal/config"
	"wdlab/internal/runio"
)

// ftSource is a 12-step constant-LR one-pass run that keeps its step-8
// checkpoint, and ft a run continuing from that checkpoint with its state.
func ftSource(t *testing.T) (src config.Config, srcDir string, ft config.Config) {
	t.Helper()
	src = lmCfg(t)
	src.Data.OnePass, src.Optim.Schedule = true, "constant"
	src.Train.KeepCheckpoints = []int{8}
	srcDir = t.TempDir()
	if s, err := RunLM(src, srcDir, Options{}); err != nil || s.Status != runio.StatusCompleted {
		t.Fatalf("source run: %v %+v", err, s)
	}
	ft = src
	ft.Train.KeepCheckpoints = nil
	ft.Train.InitFrom, ft.Train.InitStep, ft.Train.InitState = srcDir, 8, true
	return src, srcDir, ft
}

// readCkpt reads a run's last checkpoint tensors.
func readCkpt(t *testing.T, dir, name string) map[string]ckpt.Tensor {
	t.Helper()
	f, err := ckpt.Read(filepath.Join(dir, runio.CheckpointDir, name))
	if err != nil {
		t.Fatal(err)
	}
	return f.Tensors
}

// Continuing from a kept mid-run checkpoint with its state and the same
// settings for the remaining 4 steps ends exactly where the source run
// ended: weights, Adam moments and step count, EMA, data position.
func TestLMInitStateContinuesExactly(t *testing.T) {
	src, srcDir, ft := ftSource(t)
	ft.Train.Steps = src.Train.Steps - 8
	dir := t.TempDir()
	if s, err := RunLM(ft, dir, Options{}); err != nil || s.Status != runio.StatusCompleted {
		t.Fatalf("continued run: %v %+v", err, s)
	}
	if got, want := readCkpt(t, dir, ckptName), readCkpt(t, srcDir, ckptName); !reflect.DeepEqual(got, want) {
		t.Fatal("continuing from the step-8 checkpoint for 4 steps does not end at the source run's step-12 state")
	}
	// Weights only (the default) restart Adam: the end state differs.
	ft.Train.InitState = false
	dir2 := t.TempDir()
	if _, err := RunLM(ft, dir2, Options{}); err != nil {
		t.Fatal(err)
	}
	if reflect.DeepEqual(readCkpt(t, dir2, ckptName)["optim/step"], readCkpt(t, srcDir, ckptName)["optim/step"]) {
		t.Fatal("init_from without init_state kept the source's Adam step count")
	}
}

// A fine-tune with a new WD and a tiny constant LR, stopped after every
// step and resumed, ends with the uninterrupted fine-tune's metrics; a
// budget beyond the rest of the pass is refused as a config error.
func TestLMFineTuneResumesExactly(t *testing.T) {
	_, _, ft := ftSource(t)
	ft.Optim.WD, ft.Optim.LR, ft.Train.Steps = 0, 1e-4, 8
	ref := t.TempDir()
	if s, err := RunLM(ft, ref, Options{}); err != nil || s.Status != runio.StatusCompleted {
		t.Fatalf("fine-tune: %v %+v", err, s)
	}
	stop := make(chan struct{})
	close(stop)
	dir, stops := t.TempDir(), 0
	for o := (Options{Stop: stop}); ; o.Resume = true {
		s, err := RunLM(ft, dir, o)
		if err != nil {
			t.Fatal(err)
		}
		if s.Status == runio.StatusCompleted {
			break
		}
		if stops++; stops > 100 {
			t.Fatal("no progress")
		}
	}
	if stops < 7 || !reflect.DeepEqual(metricLines(t, dir), metricLines(t, ref)) {
		t.Fatalf("after %d stops the fine-tune's metrics differ from the uninterrupted one", stops)
	}
	big := ft
	big.Train.Steps = 1 << 20
	_, err := RunLM(big, t.TempDir(), Options{})
	var ce *config.InputError
	if !errors.As(err, &ce) {
		t.Fatalf("a fine-tune past the end of the pass: %v, want a *config.InputError", err)
	}
}
