package train

import (
	"fmt"
	"io"
	"path/filepath"
	"time"

	"wdlab/internal/runio"
)

// Options control a run's side effects.
type Options struct {
	Resume bool      // continue from checkpoints/last.safetensors if present
	Log    io.Writer // per-epoch lines and the progress bar (nil = silent)
	Bar    bool      // draw a progress bar (on a terminal)
	// Stop, when closed, ends the run after the current step with a
	// checkpoint at that step and status interrupted (SIGINT/SIGTERM).
	Stop <-chan struct{}
}

// stopping reports whether opts.Stop has been closed.
func (o Options) stopping() bool {
	select {
	case <-o.Stop:
		return true
	default:
		return false
	}
}

// Budget fixes a run's length and where its loop evaluates and saves
// checkpoints. A unit is what train.eval_every and train.checkpoint_every
// count: an epoch's steps for vision runs budgeted in epochs, one step for
// runs budgeted in train.steps (LM, and vision with train.steps).
type Budget struct {
	Steps int // optimizer steps in all
	Unit  int // steps per unit (>= 1)
	// EvalEvery and CheckpointEvery are the units between evaluation points
	// and between checkpoints (0: checkpoints only at the end and on a
	// stop). The last step is always both.
	EvalEvery, CheckpointEvery int
	// EvalAtStart adds an evaluation point before the first step.
	EvalAtStart bool
}

// due reports whether the point after step steps falls on an interval of
// every units (or is the end).
func (b Budget) due(step, every int) bool {
	return step == b.Steps || (every > 0 && step%b.Unit == 0 && (step/b.Unit)%every == 0)
}

// nextEval is the step of the first evaluation point after step.
func (b Budget) nextEval(step int) int {
	every := b.EvalEvery * b.Unit
	return min(b.Steps, (step/every+1)*every)
}

// Position is where a loop stands; every checkpoint holds it (regimes add
// their window sums next to it).
type Position struct {
	Step  int     `json:"step"` // optimizer steps done
	WallS float64 `json:"wall_s"`
	// Lines is the number of metrics.jsonl lines when the checkpoint was written.
	Lines int `json:"lines,omitempty"`
	// The evaluation window so far: its steps and their seconds.
	WinSteps int     `json:"win_steps,omitempty"`
	WinSecs  float64 `json:"win_secs,omitempty"`
}

// Regime is one kind of run as Loop drives it: a vision run, an LM run or
// an equilibrium cell. The loop owns the position, the metric lines and
// the run files; the regime owns the model, the data order and its
// evaluation window's sums, which Measure reports and restarts.
type Regime interface {
	// Restore loads the run's last checkpoint; found is false when there
	// is none.
	Restore() (pos Position, found bool, err error)
	// Begin readies the steps (starting weights, an accelerator); End
	// releases what Begin took.
	Begin() error
	End()
	// Step runs optimizer step t (0-based) and adds it to the window; ok is
	// false when the run diverged at it.
	Step(t int) (loss float64, ok bool, err error)
	// Measure returns the metrics line of the evaluation point at pos.
	Measure(pos Position) (map[string]float64, error)
	// Diverged returns the line recorded for a step that diverged with
	// loss (nil: none).
	Diverged(pos Position, loss float64) map[string]float64
	// Save writes a checkpoint at pos.
	Save(pos Position) error
	// Line formats an evaluation's metrics for the log ("": none).
	Line(m map[string]float64) string
}

// Loop is the training loop every run shares: a step, the window's
// accounting, an evaluation point when due, a checkpoint or a stop when
// due, and the summary.
type Loop struct {
	Name   string
	Dir    string // the run directory; "" writes no files
	Budget Budget
	Opts   Options
}

// Run trains rg to the end of the budget, a stop (Opts.Stop) or a
// divergence and returns the summary and every metrics line.
func (l Loop) Run(rg Regime) (*Summary, []map[string]float64, error) {
	b, opts := l.Budget, l.Opts
	var pos Position
	var lines []map[string]float64
	if opts.Resume {
		found, err := false, error(nil)
		if pos, found, err = rg.Restore(); err != nil {
			return nil, nil, err
		}
		if lines, err = l.resumedLines(pos, found); err != nil {
			return nil, nil, err
		}
		if found && opts.Log != nil {
			fmt.Fprintf(opts.Log, "resuming %s at step %d/%d\n", l.Dir, pos.Step, b.Steps)
		}
	}
	if err := rg.Begin(); err != nil {
		return nil, nil, err
	}
	defer rg.End()
	if _, _, err := l.finish(runio.StatusRunning, lines, pos, ""); err != nil {
		return nil, nil, err
	}
	mark := time.Now()
	lap := func() float64 { // seconds since the last lap
		now := time.Now()
		s := now.Sub(mark).Seconds()
		mark = now
		return s
	}
	record := func(m map[string]float64) error {
		pos.WallS += lap()
		m["wall_s"] = pos.WallS
		lines = append(lines, m)
		if l.Dir == "" {
			return nil
		}
		return appendMetrics(l.Dir, m)
	}
	if b.EvalAtStart && pos.Step == 0 {
		m, err := rg.Measure(pos)
		if err == nil {
			err = record(m)
		}
		if err != nil {
			return nil, nil, err
		}
	}
	bar := l.bar(pos.Step)
	for pos.Step < b.Steps {
		loss, ok, err := rg.Step(pos.Step)
		if err != nil {
			return nil, nil, err
		}
		pos.Step++
		pos.WinSteps++
		secs := lap()
		pos.WinSecs += secs
		pos.WallS += secs
		bar.Add(1)
		if !ok {
			bar.Finish()
			if m := rg.Diverged(pos, loss); m != nil {
				if err := record(m); err != nil {
					return nil, nil, err
				}
			}
			return l.finish(runio.StatusDiverged, lines, pos, "training loss or gradient norm is NaN, Inf or above train.diverge_loss")
		}
		if b.due(pos.Step, b.EvalEvery) {
			bar.Finish()
			m, err := rg.Measure(pos)
			if err == nil {
				err = record(m)
			}
			if err != nil {
				return nil, nil, err
			}
			if s := rg.Line(m); s != "" && opts.Log != nil {
				fmt.Fprintln(opts.Log, s)
			}
			pos.WinSteps, pos.WinSecs = 0, 0
			bar = l.bar(pos.Step)
		}
		stop := opts.stopping() && pos.Step < b.Steps
		if stop || b.due(pos.Step, b.CheckpointEvery) {
			pos.Lines = len(lines)
			if err := rg.Save(pos); err != nil {
				return nil, nil, err
			}
			pos.WallS += lap()
		}
		if stop {
			bar.Finish()
			return l.finish(runio.StatusInterrupted, lines, pos, interruptedMsg)
		}
	}
	bar.Finish()
	return l.finish(runio.StatusCompleted, lines, pos, "")
}

// resumedLines truncates metrics.jsonl to the lines up to the checkpoint's
// step (all of them were written again otherwise) and returns them; without
// a checkpoint none is kept.
func (l Loop) resumedLines(pos Position, found bool) ([]map[string]float64, error) {
	if l.Dir == "" {
		return nil, nil
	}
	upTo := -1
	if found {
		upTo = pos.Step
	}
	lines, err := truncateMetrics(l.Dir, "step", upTo)
	if err != nil {
		return nil, err
	}
	return lines, checkResumedLines(l.Dir, len(lines), pos.Lines)
}

// bar is the progress bar over the steps from step to the next evaluation
// point.
func (l Loop) bar(step int) bar {
	b := l.Budget
	if step >= b.Steps {
		return noBar{}
	}
	desc := fmt.Sprintf("step %d/%d", b.nextEval(step), b.Steps)
	if b.Unit > 1 {
		desc = fmt.Sprintf("epoch %d/%d", (b.nextEval(step)+b.Unit-1)/b.Unit, (b.Steps+b.Unit-1)/b.Unit)
	}
	return newBar(l.Opts, b.nextEval(step)-step, desc)
}

// finish writes summary.json with status (and msg) and returns the summary
// and lines.
func (l Loop) finish(status string, lines []map[string]float64, pos Position, msg string) (*Summary, []map[string]float64, error) {
	s := summarize(l.Name, status, lines, pos.Step, pos.WallS)
	s.Error = msg
	if l.Dir == "" {
		return &s, lines, nil
	}
	if err := runio.WriteJSONAtomic(filepath.Join(l.Dir, runio.SummaryFile), s); err != nil {
		return nil, nil, fmt.Errorf("writing summary: %w", err)
	}
	return &s, lines, nil
}
