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

// runSequence trains the scale's runs one after the other in out/runs/NAME
// (skipping completed ones, resuming interrupted ones) and registers them
// in the run store. "{run:NAME}" in a value becomes that run's directory.
func runSequence(ctx context.Context, e Experiment, s Scale, out string, o Options) error {
	base := filepath.Join(out, "base.yaml")
	if err := writeYAML(base, s.Base); err != nil {
		return err
	}
	st, err := store.Open(out)
	if err != nil {
		return err
	}
	defer st.Close()
	dirs := map[string]string{}
	for i, r := range s.Runs {
		dir := filepath.Join(out, "runs", r.Name)
		dirs[r.Name] = dir
		if o.Index >= 0 && o.Index != i {
			continue
		}
		if sum, err := runio.ReadSummary(filepath.Join(dir, runio.SummaryFile)); err == nil && runio.Terminal(sum.Status) {
			continue
		}
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
		args = append(args, o.TrainArgs...)
		if _, err := st.Register(dir, r.Name, e.Name, i, ""); err != nil {
			return err
		}
		if o.Log != nil {
			fmt.Fprintf(o.Log, "[%d/%d] %s\n", i+1, len(s.Runs), r.Name)
		}
		cmd := exec.CommandContext(ctx, o.Exe, args...)
		cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
		runErr := cmd.Run()
		if err := st.Finish(dir); err != nil && runErr == nil {
			return err
		}
		if runErr != nil {
			return fmt.Errorf("run %s: %w", r.Name, runErr)
		}
	}
	return nil
}
