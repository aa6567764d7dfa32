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
	Log    io.Writer // evaluation lines and the progress bar (nil = silent)
	Bar    bool      // draw a progress bar (on a terminal)
	// Stop, when closed, ends the run after the current step with a
	// checkpoint at that step and status interrupted (SIGINT/SIGTERM).
	Stop      <-chan struct{}
	Executors Executors     // accelerators of the executors other than native
	Hooks     []HookFactory // instruments of vision runs (package probe)
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
	if every <= 0 {
		return b.Steps
	}
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
	r := &looping{Loop: l, rg: rg}
	if err := r.begin(); err != nil {
		return nil, nil, err
	}
	defer rg.End()
	b := l.Budget
	if b.EvalAtStart && r.pos.Step == 0 {
		if err := r.evaluate(); err != nil {
			return nil, nil, err
		}
	}
	r.bar = l.windowBar(r.pos.Step)
	for r.pos.Step < b.Steps {
		// One optimizer step, and its place in the evaluation window.
		loss, ok, err := rg.Step(r.pos.Step)
		if err != nil {
			return nil, nil, err
		}
		r.pos.Step++
		r.pos.WinSteps++
		secs := r.lap()
		r.pos.WinSecs += secs
		r.pos.WallS += secs
		r.bar.Add(1)
		if !ok {
			return r.diverged(loss)
		}
		// An evaluation point.
		if b.due(r.pos.Step, b.EvalEvery) {
			if err := r.evaluate(); err != nil {
				return nil, nil, err
			}
			r.pos.WinSteps, r.pos.WinSecs = 0, 0
			r.bar = l.windowBar(r.pos.Step)
		}
		// A checkpoint, or a stop with one.
		stop := l.Opts.stopping() && r.pos.Step < b.Steps
		if stop || b.due(r.pos.Step, b.CheckpointEvery) {
			r.pos.Lines = len(r.lines)
			if err := rg.Save(r.pos); err != nil {
				return nil, nil, err
			}
			r.pos.WallS += r.lap()
		}
		if stop {
			r.bar.Finish()
			return r.finish(runio.StatusInterrupted, interruptedMsg)
		}
	}
	r.bar.Finish()
	return r.finish(runio.StatusCompleted, "")
}

// looping is one Loop.Run in progress.
type looping struct {
	Loop
	rg    Regime
	pos   Position
	lines []map[string]float64
	mark  time.Time // the end of the last timed stretch
	bar   bar
}

// begin restores a resumed run (its position and its metric lines up to
// it), readies the regime and writes the status running.
func (r *looping) begin() error {
	if r.Opts.Resume {
		pos, found, err := r.rg.Restore()
		if err != nil {
			return err
		}
		if r.lines, err = r.resumedLines(pos, found); err != nil {
			return err
		}
		r.pos = pos
		if found && r.Opts.Log != nil {
			fmt.Fprintf(r.Opts.Log, "resuming %s at step %d/%d\n", r.Dir, pos.Step, r.Budget.Steps)
		}
	}
	if err := r.rg.Begin(); err != nil {
		return err
	}
	if _, _, err := r.finish(runio.StatusRunning, ""); err != nil {
		r.rg.End()
		return err
	}
	r.mark = time.Now()
	return nil
}

// lap returns the seconds since the last lap (or begin).
func (r *looping) lap() float64 {
	now := time.Now()
	s := now.Sub(r.mark).Seconds()
	r.mark = now
	return s
}

// record adds a metrics line (with the wall time so far) to the lines and
// to metrics.jsonl.
func (r *looping) record(m map[string]float64) error {
	r.pos.WallS += r.lap()
	m["wall_s"] = r.pos.WallS
	r.lines = append(r.lines, m)
	if r.Dir == "" {
		return nil
	}
	return appendMetrics(r.Dir, m)
}

// evaluate measures, records and logs an evaluation point.
func (r *looping) evaluate() error {
	if r.bar != nil {
		r.bar.Finish()
	}
	m, err := r.rg.Measure(r.pos)
	if err == nil {
		err = r.record(m)
	}
	if err != nil {
		return err
	}
	if s := r.rg.Line(m); s != "" && r.Opts.Log != nil {
		fmt.Fprintln(r.Opts.Log, s)
	}
	return nil
}

// diverged records the step that diverged and ends the run.
func (r *looping) diverged(loss float64) (*Summary, []map[string]float64, error) {
	r.bar.Finish()
	if m := r.rg.Diverged(r.pos, loss); m != nil {
		if err := r.record(m); err != nil {
			return nil, nil, err
		}
	}
	return r.finish(runio.StatusDiverged, "training loss or gradient norm is NaN, Inf or above train.diverge_loss")
}

// finish writes summary.json with status (and msg) and returns the summary
// and lines.
func (r *looping) finish(status, msg string) (*Summary, []map[string]float64, error) {
	s := summarize(r.Name, status, r.lines, r.pos.Step, r.pos.WallS)
	s.Error = msg
	if r.Dir == "" {
		return &s, r.lines, nil
	}
	if err := runio.WriteJSONAtomic(filepath.Join(r.Dir, runio.SummaryFile), s); err != nil {
		return nil, nil, fmt.Errorf("writing summary: %w", err)
	}
	return &s, r.lines, nil
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

// windowBar is the progress bar over the steps from step to the next evaluation
// point.
func (l Loop) windowBar(step int) bar {
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
