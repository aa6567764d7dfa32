package main

import (
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"wdlab/internal/runio"
	"wdlab/internal/tokens"
)

// An LM run on the GoMLX executor (Go backend) writes the same metrics as
// the native run of the same config, to 1e-3 relative: AdamW with a WD
// mask, clipping, gradient accumulation, EMA and evaluations on the device.
// A run started on one executor resumes on the other.
func TestLMRunAgreesAcrossExecutors(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	text := strings.Repeat("and god said, let there be light: and there was light. ", 300)
	if _, err := tokens.Prepare(text, tokens.Byte{}, 0.1, data, tokens.FormatNanoGPT); err != nil {
		t.Fatal(err)
	}
	writeFile(t, dir, "lm.yaml", "name: lm\ndata: {name: tokens, dir: "+data+"}\nmodel: {arch: gpt, layers: 1, dim: 16, heads: 2, ctx: 16}\n"+
		"optim: {name: adamw, lr: 0.01, wd: 0.1, grad_clip: 0.5, schedule: cosine, warmup: 2, min_lr: 0.001}\n"+
		"train: {steps: 6, batch_size: 4, grad_accum: 2, eval_every: 3, eval_examples: 8, ema: 0.9, checkpoint_every: 3}\n")
	run := func(out string, extra ...string) []runio.Point {
		args := append([]string{"train", "-c", "lm.yaml", "--out", out, "-q"}, extra...)
		stdout, stderr, code := wdlab(t, dir, args...)
		if code != 0 {
			t.Fatalf("wdlab %v: exit %d: %s", args, code, stderr)
		}
		if !strings.HasPrefix(stdout, out+": completed after 6 steps, ") {
			t.Errorf("wdlab %v printed %q, want %q... (an LM run counts steps, not epochs)", args, stdout, out+": completed after 6 steps, ")
		}
		return readMetrics(t, filepath.Join(dir, out))
	}
	native := run("native")
	gomlx := run("gomlx", "--executor", "gomlx", "--gomlx-backend", "go")
	compareMetrics(t, "gomlx vs native", gomlx, native, 1e-3)
	if native[len(native)-1]["clip_frac"] == 0 {
		t.Error("no step clipped: the test does not exercise clipping")
	}
	// Resuming the completed native run on the GoMLX executor is allowed
	// (the executor is not part of the run's identity) and changes nothing.
	again := run("native", "--executor", "gomlx", "--resume")
	compareMetrics(t, "native resumed on gomlx", again, native, 0)
	// Effective-LR matching (the LR follows the decayed norm step by step)
	// without WD, towards the WD run's eff_lr.
	match := []string{"--set", "optim.wd=0", "--set", "optim.match_eff_lr=" + filepath.Join(dir, "native")}
	matchNative := run("match-native", match...)
	matchGomlx := run("match-gomlx", append(match, "--executor", "gomlx")...)
	compareMetrics(t, "eff-LR matching, gomlx vs native", matchGomlx, matchNative, 1e-3)
	// The last step (index 5) ran at the reference eff_lr interpolated
	// between its step-3 and step-6 points; metrics report that step's LR
	// over the norm after it, which moved a little.
	want := native[1]["decayed_eff_lr"] + (native[2]["decayed_eff_lr"]-native[1]["decayed_eff_lr"])*2/3
	if got := matchNative[2]["decayed_eff_lr"]; math.Abs(got/want-1) > 0.05 {
		t.Errorf("matched run's final decayed_eff_lr %v, want about %v (the reference's at step 5)", got, want)
	}
}

// readMetrics reads a run's metrics.jsonl without its timing keys.
func readMetrics(t *testing.T, dir string) []runio.Point {
	t.Helper()
	pts, err := runio.ReadMetrics(filepath.Join(dir, runio.MetricsFile))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range pts {
		delete(p, "wall_s")
		delete(p, "samples_per_s")
	}
	return pts
}

// compareMetrics checks that got has want's lines and keys, with values
// within tol relative (values under 1e-6 in size: tol*1e-6 absolute).
func compareMetrics(t *testing.T, what string, got, want []runio.Point, tol float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d metrics lines, want %d", what, len(got), len(want))
	}
	for i, w := range want {
		if len(got[i]) != len(w) {
			t.Errorf("%s: line %d has %d keys, want %d", what, i, len(got[i]), len(w))
		}
		for k, v := range w {
			g, ok := got[i][k]
			if !ok || math.Abs(g-v) > tol*math.Max(math.Abs(v), 1e-6) {
				t.Errorf("%s: line %d %s = %v, want %v", what, i, k, g, v)
			}
		}
	}
}

// A vision run (PreAct-ResNet, SGD with momentum and coupled WD, EMA with
// BN recalibration) on the GoMLX executor writes the native run's metrics
// to 1e-3 relative.
func TestVisionRunAgreesAcrossExecutors(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "v.yaml", "name: v\ndata: {name: synthetic}\nmodel: {arch: preact-resnet, width: 4, blocks: [1, 1]}\n"+
		"optim: {lr: 0.1, wd: 0.005, momentum: 0.9, schedule: step, drop_at: 0.5, lr_after: 0.01}\ntrain: {epochs: 2, batch_size: 50, ema: 0.9, eval_every: 1}\n")
	var runs [2][]runio.Point
	for i, ex := range []string{"native", "gomlx"} {
		if _, stderr, code := wdlab(t, dir, "train", "-c", "v.yaml", "--out", ex, "--executor", ex, "-q"); code != 0 {
			t.Fatalf("%s run: exit %d: %s", ex, code, stderr)
		}
		runs[i] = readMetrics(t, filepath.Join(dir, ex))
	}
	compareMetrics(t, "gomlx vs native", runs[1], runs[0], 1e-3)
}

// `wdlab sweep --executor gomlx --set k=v` trains every cell on the GoMLX
// executor with the override (each cell's config.yaml says so) and the
// cells complete.
func TestSweepPassesExecutorToCells(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "base.yaml", "data: {name: synthetic}\nmodel: {arch: bn-mlp, hidden: [8]}\noptim: {lr: 0.1}\ntrain: {epochs: 1, batch_size: 50}\n")
	writeFile(t, dir, "sw.yaml", "base: base.yaml\ngrid: {optim.wd: [0, 0.01]}\n")
	if _, stderr, code := wdlab(t, dir, "sweep", "-c", "sw.yaml", "--out", "out", "--executor", "gomlx", "--gomlx-backend", "go", "--set", "optim.momentum=0.5"); code != 0 {
		t.Fatalf("sweep: exit %d: %s", code, stderr)
	}
	cfgs, _ := filepath.Glob(filepath.Join(dir, "out", "cells", "*", "config.yaml"))
	if len(cfgs) != 2 {
		t.Fatalf("%d cell configs, want 2", len(cfgs))
	}
	for _, c := range cfgs {
		b, err := os.ReadFile(c)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(b), "executor: gomlx") || !strings.Contains(string(b), "momentum: 0.5") {
			t.Errorf("%s does not say executor: gomlx and momentum: 0.5:\n%s", c, b)
		}
	}
}

// SIGINT stops `wdlab train` after the current step with a checkpoint
// (exit 130, status interrupted); --resume then ends with the metrics of
// an uninterrupted run.
func TestSIGINTStopsWithCheckpointAndResumeIsExact(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	if _, err := tokens.Prepare(strings.Repeat("in the beginning god created the heaven and the earth. ", 300), tokens.Byte{}, 0.1, data, tokens.FormatNanoGPT); err != nil {
		t.Fatal(err)
	}
	writeFile(t, dir, "lm.yaml", "name: lm\ndata: {name: tokens, dir: "+data+"}\nmodel: {arch: gpt, layers: 1, dim: 16, heads: 2, ctx: 16}\n"+
		"optim: {name: adamw, lr: 0.01, wd: 0.1, grad_clip: 1, schedule: cosine, warmup: 2, min_lr: 0.001}\n"+
		"train: {steps: 1200, batch_size: 4, eval_every: 400, eval_examples: 8, checkpoint_every: 400}\n")
	if _, stderr, code := wdlab(t, dir, "train", "-c", "lm.yaml", "--out", "ref", "-q"); code != 0 {
		t.Fatalf("reference run: exit %d: %s", code, stderr)
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, "train", "-c", "lm.yaml", "--out", "run", "-q")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), cliEnv+"=1")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	metrics := filepath.Join(dir, "run", runio.MetricsFile)
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		if st, err := os.Stat(metrics); err == nil && st.Size() > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the run wrote no metrics line in 30 s")
		}
	}
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	err = cmd.Wait()
	sum, rerr := runio.ReadSummary(filepath.Join(dir, "run", runio.SummaryFile))
	if rerr != nil {
		t.Fatal(rerr)
	}
	if sum.Status == runio.StatusCompleted {
		t.Skip("the run finished before the signal arrived")
	}
	if code := cmd.ProcessState.ExitCode(); code != 130 || sum.Status != runio.StatusInterrupted {
		t.Fatalf("after SIGINT: exit %d (%v), status %s; want 130 and interrupted", code, err, sum.Status)
	}
	if _, stderr, code := wdlab(t, dir, "train", "-c", "lm.yaml", "--out", "run", "-q", "--resume"); code != 0 {
		t.Fatalf("resume: exit %d: %s", code, stderr)
	}
	compareMetrics(t, "interrupted and resumed vs uninterrupted", readMetrics(t, filepath.Join(dir, "run")), readMetrics(t, filepath.Join(dir, "ref")), 0)
}

// scripts/gpu-check.sh in smoke mode (tiny shapes, Go backend) runs every
// step with exit 0, so its commands and flags are valid before any device
// time is spent on them.
func TestGPUCheckScriptSmoke(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	wrapper := writeFile(t, dir, "wdlab", "#!/bin/sh\nexec env "+cliEnv+"=1 '"+exe+"' \"$@\"\n")
	if err := os.Chmod(wrapper, 0o755); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("bash", filepath.Join("..", "..", "scripts", "gpu-check.sh"))
	cmd.Env = append(os.Environ(), "SMOKE=1", "W="+wrapper, "OUT="+filepath.Join(dir, "out"))
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("gpu-check.sh: %v\n%s", err, out)
	}
	rows := 0
	for _, line := range strings.Split(string(out), "\n") {
		f := strings.Fields(line)
		if len(f) < 3 || f[0] == "step" {
			continue
		}
		rows++
		if f[1] != "0" {
			t.Errorf("step %s: %s", f[0], line)
		}
	}
	if rows != 6 {
		t.Errorf("%d table rows, want 6:\n%s", rows, out)
	}
}
