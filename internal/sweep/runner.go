package sweep

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"time"
)

// Job is one cell to train.
type Job struct {
	Index     int      // the cell index
	Dir       string   // the cell's run directory (--out)
	Base      string   // the base training config (-c)
	Overrides []string // key=value pairs for --set
	Resume    bool     // the cell holds an earlier partial run: pass --resume
	Log       string   // file to append the training output to
}

// RunFunc trains one cell and returns when the training process ended; a
// non-nil error means the process failed. Tests inject fakes.
type RunFunc func(ctx context.Context, job Job) error

// interruptGrace is how long a cancelled training process may take to
// save a checkpoint after SIGINT before it is killed.
const interruptGrace = 30 * time.Second

// ExecRunner returns a RunFunc that runs
// `EXE train -c BASE --out DIR --set k=v ... EXTRA... [--resume]` (extra:
// e.g. --executor gomlx --gomlx-backend xla:/p.so), appending its
// stdout and stderr to the job's log. Cancelling the context sends SIGINT
// (not under Slurm, which signals the process itself), then kills the
// process after a grace period.
//
// threads > 0 sets GOMAXPROCS for each training process (unless the
// environment already sets it), so parallel workers share the cores instead
// of each spawning one thread per core.
func ExecRunner(exe string, threads int, extra ...string) RunFunc {
	return func(ctx context.Context, job Job) error {
		args := []string{"train", "-c", job.Base, "--out", job.Dir}
		for _, o := range job.Overrides {
			args = append(args, "--set", o)
		}
		args = append(args, extra...)
		if job.Resume {
			args = append(args, "--resume")
		}
		log, err := os.OpenFile(job.Log, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
		if err != nil {
			return err
		}
		defer log.Close()
		fmt.Fprintf(log, "# %s %s %v\n", time.Now().Format(time.RFC3339), exe, args)
		cmd := exec.CommandContext(ctx, exe, args...)
		cmd.Stdout, cmd.Stderr = log, log
		if _, set := os.LookupEnv("GOMAXPROCS"); threads > 0 && !set {
			cmd.Env = append(os.Environ(), fmt.Sprintf("GOMAXPROCS=%d", threads))
		}
		cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
		if os.Getenv("SLURM_JOB_ID") != "" {
			// Slurm signals every process of the task itself (scancel,
			// preemption; the batch script does the same for --signal): a
			// second signal from here would stop wdlab train at once,
			// without its checkpoint.
			cmd.Cancel = func() error { return nil }
		}
		cmd.WaitDelay = interruptGrace
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("%w (log: %s)", err, job.Log)
		}
		return nil
	}
}

// ThreadsPerWorker splits the machine's cores over the workers a sweep will
// run at once (workers 0 means the sweep's default, else 1).
func ThreadsPerWorker(sw *Sweep, workers int) int {
	if workers == 0 {
		workers = max(sw.Workers, 1)
	}
	return max(1, runtime.NumCPU()/workers)
}
