package sweep

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"time"

	"wdlab/internal/config"
	"wdlab/internal/runio"
	"wdlab/internal/store"
)

// Options control Run.
type Options struct {
	Workers  int       // parallel training processes; 0: the sweep's workers, else 1
	Cells    []int     // cell indices to run; nil: all
	Runner   RunFunc   // trains one cell (ExecRunner in the CLI)
	Progress io.Writer // one line per finished cell; nil: discard
	// TaskOnly marks a cluster array task (--index): it writes only its
	// cell's run directory (attempts.jsonl included) and never opens
	// OUT/runs.db, which may sit on a network filesystem where SQLite's
	// locking cannot be trusted; `wdlab runs ls` brings the store up to
	// date from the directories (store.Sync), `wdlab report` reads them.
	TaskOnly bool
}

// outcome is what happened to one cell.
type outcome struct {
	cell    Cell
	status  string
	elapsed time.Duration
	skipped bool // finished in an earlier run
	metric  string
	err     error
}

// Run prepares out (see Prepare), then trains the selected cells with a
// pool of workers. A cell whose summary.json has a terminal status
// (completed or diverged) is skipped, so rerunning a killed sweep resumes
// it; a cell holding part of an earlier run is run with Resume set. Each
// cell records its attempt in its directory and, unless opt.TaskOnly, is
// registered in OUT/runs.db before it starts and finished after it ends.
// Run returns an error when a cell failed or ctx was cancelled.
func Run(ctx context.Context, sw *Sweep, out string, opt Options) error {
	if opt.Runner == nil {
		return errors.New("sweep: no cell runner")
	}
	n := sw.NumCells()
	for _, i := range opt.Cells {
		if i < 0 || i >= n {
			return config.Inputf("cell index %d out of range 0..%d", i, n-1)
		}
	}
	var st *store.Store
	if !opt.TaskOnly {
		var err error
		if st, err = store.Open(out); err != nil {
			return err
		}
		defer st.Close()
	}
	if err := Prepare(sw, out, st); err != nil {
		return err
	}
	cells := opt.Cells
	if cells == nil {
		for i := range n {
			cells = append(cells, i)
		}
	}
	workers := opt.Workers
	if workers <= 0 {
		workers = max(sw.Workers, 1)
	}
	workers = min(workers, len(cells))
	progress := opt.Progress
	if progress == nil {
		progress = io.Discard
	}

	jobs := make(chan Cell)
	results := make(chan outcome)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for c := range jobs {
				results <- runCell(ctx, sw, out, st, opt, c)
			}
		}()
	}
	go func() {
		defer close(jobs)
		for _, i := range cells {
			if ctx.Err() != nil {
				return
			}
			c, _ := sw.Cell(i)
			select {
			case jobs <- c:
			case <-ctx.Done():
				return
			}
		}
	}()
	go func() { wg.Wait(); close(results) }()

	done, failed := 0, 0
	for o := range results {
		done++
		if !runio.Terminal(o.status) {
			failed++
		}
		fmt.Fprintln(progress, progressLine(done, len(cells), o))
	}
	switch {
	case ctx.Err() != nil:
		return fmt.Errorf("sweep interrupted: %d of %d cells finished; run the same command again to resume", done-failed, len(cells))
	case failed > 0:
		return fmt.Errorf("%d of %d cells failed (logs in %s)", failed, len(cells), filepath.Join(out, LogsDir))
	}
	return nil
}

// runCell trains one cell unless an earlier run finished it. st is nil
// in a cluster task (Options.TaskOnly).
func runCell(ctx context.Context, sw *Sweep, out string, st *store.Store, opt Options, c Cell) outcome {
	dir := CellDir(out, c)
	sumPath := filepath.Join(dir, runio.SummaryFile)
	if sum, err := runio.ReadSummary(sumPath); err == nil && runio.Terminal(sum.Status) {
		o := outcome{cell: c, status: sum.Status, skipped: true, metric: headline(sum)}
		if st == nil {
			return o
		}
		if r, err := st.Get(dir); err != nil || r.Status != sum.Status {
			o.err = st.Finish(dir) // the earlier sweep died before recording it
		}
		return o
	}
	job := Job{Index: c.Index, Dir: dir, Base: sw.Base, Overrides: sw.Overrides(c),
		Resume: holdsRun(dir), Log: LogPath(out, c)}
	host, _ := os.Hostname()
	att := store.Attempt{Experiment: sw.Name, Name: c.Name(), CellIndex: c.Index,
		Started: time.Now().UTC(), Host: host, Job: schedulerJob()}
	if err := store.RecordAttempt(dir, att); err != nil {
		return outcome{cell: c, status: runio.StatusFailed, err: err}
	}
	if st != nil {
		if _, err := st.Register(dir, c.Name(), sw.Name, c.Index, ""); err != nil {
			return outcome{cell: c, status: runio.StatusFailed, err: err}
		}
	}
	start := time.Now()
	runErr := opt.Runner(ctx, job)
	o := outcome{cell: c, status: runio.StatusFailed, elapsed: time.Since(start), err: runErr}
	sum, err := runio.ReadSummary(sumPath)
	if err == nil {
		o.status, o.metric = sum.Status, headline(sum)
	}
	if runErr != nil && (o.status == runio.StatusRunning || errors.Is(err, fs.ErrNotExist)) {
		// The training died before its final summary: the directory says so.
		o.status = runio.StatusFailed
		if err := markFailed(sumPath, c.Name()); err != nil {
			o.err = errors.Join(runErr, err)
			return o
		}
	}
	if st != nil {
		if err := st.Finish(dir); err != nil {
			o.err = errors.Join(runErr, err)
			return o
		}
	}
	if runErr == nil && !runio.Terminal(o.status) {
		o.err = fmt.Errorf("training ended with status %s (log: %s)", o.status, job.Log)
	}
	return o
}

// schedulerJob names the Slurm job running this process for
// attempts.jsonl: the array job and task ("1234_5"), else the job id, else
// "" (a Kubernetes pod is named by the attempt's host).
func schedulerJob() string {
	if j, t := os.Getenv("SLURM_ARRAY_JOB_ID"), os.Getenv("SLURM_ARRAY_TASK_ID"); j != "" && t != "" {
		return j + "_" + t
	}
	return os.Getenv("SLURM_JOB_ID")
}

// markFailed sets status failed in the summary.json at path, keeping the
// rest of it, or writes one with the run's name when there is none.
func markFailed(path, name string) error {
	doc := map[string]any{}
	if b, err := os.ReadFile(path); err == nil {
		json.Unmarshal(b, &doc) // a summary that does not parse is replaced
	}
	doc["status"] = runio.StatusFailed
	if _, ok := doc["name"]; !ok {
		doc["name"] = name
	}
	return runio.WriteJSONAtomic(path, doc)
}

// holdsRun reports whether dir holds (part of) an earlier run: `wdlab train`
// then needs --resume, which continues from the last checkpoint or starts
// over when there is none.
func holdsRun(dir string) bool {
	for _, f := range []string{runio.CheckpointDir, runio.MetricsFile, runio.SummaryFile} {
		if _, err := os.Stat(filepath.Join(dir, f)); err == nil {
			return true
		}
	}
	return false
}
