package probe

import (
	"errors"
	"io/fs"
	"path/filepath"

	"wdlab/internal/optim"
	"wdlab/internal/runio"
	"wdlab/internal/train"
)

// noiseWindow averages the per-epoch noise statistics over the last epochs
// of the large-LR phase, where the loss is stationary: the paper's noise
// scale is such an average over the last ~10 epochs before the LR drop,
// not one point. The hook measures the noise at every evaluated epoch in
// the window; the window's state is those points so far, which a resumed
// run reads back from the metrics file.
type noiseWindow struct {
	first, last   int     // the window in the run's unit, inclusive (empty when last < first)
	ell, oneMinus float64 // sums of the per-epoch noise_scale and one_minus_py
	n             int     // points summed
	key           string  // the metrics key holding a point's position: "epoch", or "step" with train.steps
}

// newNoiseWindow is the window of the last `epochs` epochs of r's
// large-LR phase: the epochs that end before the LR drop of a step
// schedule, all epochs otherwise. Its bounds count the run's unit, as the
// hooks see it: epochs, or steps for a run budgeted in train.steps (then
// the window is the last epochs' worth of steps before the drop).
func newNoiseWindow(r *train.Runner, epochs int) *noiseWindow {
	unit, last, key := r.StepsPerEp, r.Cfg.Train.Epochs, "epoch"
	if r.Cfg.Train.Steps > 0 {
		unit, last, key = 1, r.Cfg.Train.Steps, "step"
	}
	if s, ok := r.Sched.(optim.StepDrop); ok && unit > 0 {
		last = min(last, s.DropStep/unit)
	}
	span := epochs
	if unit == 1 {
		span = epochs * r.StepsPerEp
	}
	return &noiseWindow{first: max(1, last-span+1), last: last, key: key}
}

// contains reports whether epoch lies in the window.
func (w *noiseWindow) contains(epoch int) bool { return epoch >= w.first && epoch <= w.last }

// add folds one epoch's mean statistics into the window.
func (w *noiseWindow) add(ell, oneMinus float64) {
	w.ell += ell
	w.oneMinus += oneMinus
	w.n++
}

// log writes the window means so far: noise_scale_avg, one_minus_py_avg
// and noise_avg_points (the number of epochs averaged).
func (w *noiseWindow) log(metrics map[string]float64) {
	metrics["noise_scale_avg"] = w.ell / float64(w.n)
	metrics["one_minus_py_avg"] = w.oneMinus / float64(w.n)
	metrics["noise_avg_points"] = float64(w.n)
}

// resume adds the window points already logged in dir's metrics file (none
// for a fresh run).
func (w *noiseWindow) resume(dir string) error {
	if dir == "" {
		return nil
	}
	pts, err := runio.ReadMetrics(filepath.Join(dir, runio.MetricsFile))
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	for _, p := range pts {
		ell, ok1 := p["noise_scale"]
		om, ok2 := p["one_minus_py"]
		if ok1 && ok2 && w.contains(int(p[w.key])) {
			w.add(ell, om)
		}
	}
	return nil
}
