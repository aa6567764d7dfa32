package exp

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"wdlab/internal/runio"
	"wdlab/internal/store"
	"wdlab/internal/sweep"
)

// seqRun is one run of a sequence: its directory and `wdlab train` arguments.
type seqRun struct {
	Name, Dir string
	Args      []string
}

// sequenceRuns writes out/base.yaml and returns the scale's runs in order,
// each training into out/runs/NAME with "{run:NAME}" replaced by that
// run's directory.
func sequenceRuns(s Scale, out string, o Options) ([]seqRun, error) {
	base := filepath.Join(out, "base.yaml")
	if err := writeYAML(base, s.Base); err != nil {
		return nil, err
	}
	dirs := map[string]string{}
	var runs []seqRun
	for _, r := range s.Runs {
		dir := filepath.Join(out, "runs", r.Name)
		dirs[r.Name] = dir
		sets := map[string]any{}
		for k, v := range s.Set {
			sets[k] = v
		}
		for k, v := range r.Set {
			sets[k] = v
		}
		args := []string{"train", "-c", base, "--out", dir, "--resume", "-q"}
		for _, a := range setArgs(sets) {
			for name, d := range dirs {
				a = strings.ReplaceAll(a, "{run:"+name+"}", d)
			}
			args = append(args, "--set", a)
		}
		args = append(args, sweep.SetArgs(o.Sets)...)
		runs = append(runs, seqRun{r.Name, dir, append(args, o.TrainArgs...)})
	}
	return runs, nil
}

// runSequence trains the scale's runs one after the other in out/runs/NAME
// (skipping completed ones, resuming interrupted ones) and registers them
// in the run store.
func runSequence(ctx context.Context, e Experiment, s Scale, out string, o Options) error {
	runs, err := sequenceRuns(s, out, o)
	if err != nil {
		return err
	}
	st, err := store.Open(out)
	if err != nil {
		return err
	}
	defer st.Close()
	for i, r := range runs {
		if o.Index >= 0 && o.Index != i {
			continue
		}
		if sum, err := runio.ReadSummary(filepath.Join(r.Dir, runio.SummaryFile)); err == nil && runio.Terminal(sum.Status) {
			continue
		}
		if _, err := st.Register(r.Dir, r.Name, e.Name, i, ""); err != nil {
			return err
		}
		if o.Log != nil {
			fmt.Fprintf(o.Log, "[%d/%d] %s\n", i+1, len(runs), r.Name)
		}
		cmd := exec.CommandContext(ctx, o.Exe, r.Args...)
		cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
		runErr := cmd.Run()
		if err := st.Finish(r.Dir); err != nil && runErr == nil {
			return err
		}
		if runErr != nil {
			return fmt.Errorf("run %s: %w", r.Name, runErr)
		}
	}
	return nil
}

// SequenceSlurmFile is the Slurm job an emitted sequence writes into its output directory.
const SequenceSlurmFile = "sequence.slurm"

// emitSequence writes out/sequence.slurm: one Slurm job that trains the
// sequence's runs in order (later runs read earlier ones), each resuming
// when the job is requeued; it returns the file's path.
func emitSequence(e Experiment, scale string, s Scale, out string, o Options) (string, error) {
	if err := os.MkdirAll(filepath.Join(out, sweep.LogsDir), 0o755); err != nil {
		return "", err
	}
	abs, err := filepath.Abs(out)
	if err != nil {
		return "", err
	}
	runs, err := sequenceRuns(s, abs, o)
	if err != nil {
		return "", err
	}
	exe := o.Exe
	if exe == "" {
		exe = "wdlab"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "#!/bin/bash\n#SBATCH --job-name=%s-%s\n", e.Name, scale)
	fmt.Fprintf(&b, "#SBATCH --output=%s\n", filepath.Join(abs, sweep.LogsDir, "slurm-%j.out"))
	fmt.Fprintf(&b, "#\n# wdlab experiment %s at scale %s: %d runs in order (later runs read earlier ones).\n", e.Name, scale, len(runs))
	fmt.Fprintf(&b, "# Submit with: sbatch %s\n# Render the report afterwards with: wdlab report %s -o %s\n",
		filepath.Join(abs, SequenceSlurmFile), abs, filepath.Join(abs, "report"))
	fmt.Fprintf(&b, "set -euo pipefail\nWDLAB=\"${WDLAB:-%s}\"\n", exe)
	for _, r := range runs {
		fmt.Fprintf(&b, "\n# %s\n\"$WDLAB\"", r.Name)
		for _, a := range r.Args {
			b.WriteString(" " + sweep.ShellQuote(a))
		}
		b.WriteString("\n")
	}
	path := filepath.Join(abs, SequenceSlurmFile)
	return path, runio.WriteFileAtomic(path, []byte(b.String()), 0o755)
}
