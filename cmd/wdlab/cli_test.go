package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// cliEnv makes the test binary act as the wdlab command (see TestMain), so
// that the tests see real exit codes and stderr without a separate build.
const cliEnv = "WDLAB_CLI_TEST_AS_MAIN"

func TestMain(m *testing.M) {
	if os.Getenv(cliEnv) == "1" {
		os.Args = append([]string{"wdlab"}, os.Args[1:]...)
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// wdlab runs the command with args in dir and returns stdout, stderr and
// the exit code.
func wdlab(t *testing.T, dir string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), cliEnv+"=1")
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err = cmd.Run()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("running wdlab %v: %v", args, err)
	}
	return out.String(), errb.String(), code
}

// writeFile writes content to dir/name and returns the path.
func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// tinyConfig trains a small BN-MLP on the built-in synthetic data in well
// under a second.
const tinyConfig = `name: tiny
seed: 3
data:
  name: synthetic
model:
  arch: bn-mlp
  hidden: [16]
optim:
  name: sgd
  lr: 0.05
  momentum: 0.9
  wd: 0.001
train:
  epochs: 2
  batch_size: 100
  checkpoint_every: 1
`

func TestBadInputExitsTwoWithOneLineAndWritesNothing(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "good.yaml", tinyConfig)
	writeFile(t, dir, "unknown.yaml", "optim:\n  lrr: 0.1\n")
	writeFile(t, dir, "neglr.yaml", "optim:\n  lr: -1\n")
	writeFile(t, dir, "nanwd.yaml", "optim:\n  wd: .nan\n")
	writeFile(t, dir, "emptygrid.yaml", "base: good.yaml\ngrid: {}\n")
	writeFile(t, dir, "grid.yaml", "base: good.yaml\ngrid: {optim.wd: [0, 0.1]}\n")
	writeFile(t, dir, "emptylist.yaml", "base: good.yaml\ngrid:\n  optim.lr: []\n")
	cases := []struct {
		name string
		args []string
		want string // a regexp the one-line message must match
	}{
		{"missing config", []string{"train", "-c", "missing.yaml", "--out", "OUT"}, `^wdlab train: config file missing\.yaml does not exist$`},
		{"unknown key", []string{"train", "-c", "unknown.yaml", "--out", "OUT"}, `^wdlab train: unknown\.yaml: .*optim\.lrr`},
		{"negative lr", []string{"train", "-c", "neglr.yaml", "--out", "OUT"}, `^wdlab train: neglr\.yaml: optim\.lr = -1: must be a finite number > 0$`},
		{"NaN wd", []string{"train", "-c", "nanwd.yaml", "--out", "OUT"}, `^wdlab train: nanwd\.yaml: optim\.wd = NaN: must be a finite number >= 0$`},
		{"NaN wd --set", []string{"train", "-c", "good.yaml", "--out", "OUT", "--set", "optim.wd=.nan"}, `optim\.wd = NaN`},
		{"unknown --set key", []string{"train", "-c", "good.yaml", "--out", "OUT", "--set", "optim.lrr=1"}, `optim\.lrr`},
		{"--set without =", []string{"train", "-c", "good.yaml", "--out", "OUT", "--set", "optim.lr"}, `want key=value`},
		{"sweep empty grid", []string{"sweep", "-c", "emptygrid.yaml", "--out", "OUT"}, `^wdlab sweep: .*emptygrid\.yaml: grid: .*non-empty`},
		{"sweep empty list", []string{"sweep", "-c", "emptylist.yaml", "--out", "OUT"}, `^wdlab sweep: .*emptylist\.yaml: grid: optim\.lr: empty list of values$`},
		{"sweep missing file", []string{"sweep", "-c", "missing.yaml", "--out", "OUT"}, `^wdlab sweep: .*missing\.yaml`},
		{"unknown command", []string{"trian", "-c", "good.yaml", "--out", "OUT"}, `^wdlab: unknown command "trian"`},
		{"undefined flag", []string{"train", "-c", "good.yaml", "--out", "OUT", "--bogus"}, `^wdlab train: flag provided but not defined: -bogus`},
		{"flag without value", []string{"train", "--out", "OUT", "-c"}, `^wdlab train: flag needs an argument: -c`},
		{"missing --out", []string{"train", "-c", "good.yaml"}, `^wdlab train: usage: `},
		{"extra argument", []string{"train", "-c", "good.yaml", "--out", "OUT", "extra"}, `^wdlab train: usage: `},
		{"sweep bad workers", []string{"sweep", "-c", "emptygrid.yaml", "--out", "OUT", "--workers", "0"}, `^wdlab sweep: --workers 0`},
		{"sweep bad emit", []string{"sweep", "-c", "emptygrid.yaml", "--out", "OUT", "--emit", "pbs"}, `^wdlab sweep: --emit "pbs"`},
		{"bench bad executor", []string{"bench", "resnet", "--executor", "bogus"}, `^wdlab bench: --executor "bogus": want native or gomlx \(or dnnl: resnet only\)$`},
		{"bench bad backend", []string{"bench", "resnet", "--executor", "gomlx", "--gomlx-backend", "xla:plugin.so"}, `^wdlab bench: --gomlx-backend "xla:plugin\.so"`},
		{"bench backend without gomlx", []string{"bench", "resnet", "--gomlx-backend", "go"}, `^wdlab bench: --gomlx-backend needs --executor gomlx$`},
		{"bench negative peak", []string{"bench", "gpt", "--peak-gflops", "-1"}, `^wdlab bench: --peak-gflops -1`},
		{"vision bf16", []string{"train", "-c", "good.yaml", "--out", "OUT", "--set", "precision=bf16"}, `^wdlab train: precision "bf16": the vision models train in fp32 only`},
		{"exp bad executor", []string{"exp", "run", "fig2", "--out", "OUT", "--executor", "gpu"}, `^wdlab exp: --executor "gpu": want native, gomlx or dnnl$`},
		{"exp custom with executor", []string{"exp", "run", "equilibrium", "--out", "OUT", "--executor", "gomlx"}, `^wdlab exp: experiment equilibrium trains in-process`},
		{"exp set grid axis", []string{"exp", "run", "fig2", "--out", "OUT", "--set", "optim.lr=0.2"}, `^wdlab exp: --set optim.lr=0.2: optim.lr is a grid axis of experiment fig2$`},
		{"exp set unknown key", []string{"exp", "run", "fig2", "--out", "OUT", "--set", "data.nosuch=1"}, `data\.nosuch`},
		{"sweep set grid axis", []string{"sweep", "-c", "grid.yaml", "--out", "OUT", "--set", "optim.wd=1"}, `^wdlab sweep: --set optim.wd=1: optim.wd is a grid axis of this sweep$`},
		{"exp custom with emit", []string{"exp", "run", "equilibrium", "--out", "OUT", "--emit", "slurm"}, `^wdlab exp: experiment equilibrium runs in-process: it has no cells`},
		{"sweep bad backend", []string{"sweep", "-c", "emptygrid.yaml", "--out", "OUT", "--gomlx-backend", "cuda"}, `^wdlab sweep: --gomlx-backend "cuda"`},
		{"bench bad precision", []string{"bench", "resnet", "--precision", "bf16"}, `^wdlab bench: --precision "bf16": want fp32 or bf16 \(bf16: gpt only\)$`},
		{"gomlx bench gpt", []string{"gomlx", "bench", "--model", "gpt"}, `^wdlab gomlx: GPT throughput on the GoMLX executor: wdlab bench gpt --executor gomlx`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out := filepath.Join(dir, strings.ReplaceAll(c.name, " ", "_"))
			args := make([]string, len(c.args))
			for i, a := range c.args {
				args[i] = strings.ReplaceAll(a, "OUT", out)
			}
			stdout, stderr, code := wdlab(t, dir, args...)
			if code != 2 {
				t.Errorf("exit code %d, want 2 (stderr %q)", code, stderr)
			}
			if stdout != "" {
				t.Errorf("stdout %q, want nothing", stdout)
			}
			msg, ok := strings.CutSuffix(stderr, "\n")
			if !ok || strings.Contains(msg, "\n") {
				t.Fatalf("stderr %q is not exactly one line", stderr)
			}
			if !regexp.MustCompile(c.want).MatchString(msg) {
				t.Errorf("message %q does not match %q", msg, c.want)
			}
			if _, err := os.Stat(out); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("--out %s was created (stat: %v)", out, err)
			}
		})
	}
}

func TestBadConfigLeavesExistingOutUntouched(t *testing.T) {
	dir := t.TempDir()
	cfg := writeFile(t, dir, "neglr.yaml", "optim:\n  lr: -1\n")
	out := filepath.Join(dir, "run")
	if err := os.Mkdir(out, 0o755); err != nil {
		t.Fatal(err)
	}
	if _, _, code := wdlab(t, dir, "train", "-c", cfg, "--out", out, "--resume"); code != 2 {
		t.Fatalf("exit code %d, want 2", code)
	}
	if es, err := os.ReadDir(out); err != nil || len(es) != 0 {
		t.Fatalf("--out holds %v (%v), want it empty", es, err)
	}
}

func TestUnwritableOutIsOneLineError(t *testing.T) {
	dir := t.TempDir()
	cfg := writeFile(t, dir, "good.yaml", tinyConfig)
	file := writeFile(t, dir, "afile", "x")
	// Root ignores permission bits, so the unwritable directory is a path
	// below a regular file.
	for _, out := range []string{file, filepath.Join(file, "run")} {
		stdout, stderr, code := wdlab(t, dir, "train", "-c", cfg, "--out", out, "-q")
		msg, _ := strings.CutSuffix(stderr, "\n")
		if code != 2 || stdout != "" || strings.Contains(msg, "\n") || !strings.Contains(msg, "not a directory") {
			t.Errorf("--out %s: exit %d, stdout %q, stderr %q; want exit 2 (bad --out) and one line saying not a directory", out, code, stdout, stderr)
		}
	}
	if b, err := os.ReadFile(file); err != nil || string(b) != "x" {
		t.Errorf("the file in the way was changed: %q, %v", b, err)
	}
}

// stripTiming returns metrics.jsonl with the keys that measure time removed.
func stripTiming(t *testing.T, path string) []map[string]float64 {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var lines []map[string]float64
	for l := range strings.Lines(string(raw)) {
		var m map[string]float64
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		delete(m, "wall_s")
		delete(m, "samples_per_s")
		lines = append(lines, m)
	}
	return lines
}

func TestSameConfigAndSeedGiveIdenticalMetrics(t *testing.T) {
	dir := t.TempDir()
	cfg := writeFile(t, dir, "tiny.yaml", tinyConfig)
	var runs [][]map[string]float64
	for _, out := range []string{"a", "b"} {
		if _, stderr, code := wdlab(t, dir, "train", "-c", cfg, "--out", out, "-q"); code != 0 {
			t.Fatalf("run %s: exit %d: %s", out, code, stderr)
		}
		runs = append(runs, stripTiming(t, filepath.Join(dir, out, "metrics.jsonl")))
	}
	a, b := runs[0], runs[1]
	if len(a) != 2 || len(a[1]) < 10 {
		t.Fatalf("want 2 metric lines with the usual keys, got %v", a)
	}
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	if !bytes.Equal(ja, jb) {
		t.Errorf("two runs of the same config differ:\n%s\n%s", ja, jb)
	}
	if _, stderr, code := wdlab(t, dir, "train", "-c", cfg, "--out", "c", "-q", "--set", "seed=4"); code != 0 {
		t.Fatalf("seed 4: exit %d: %s", code, stderr)
	}
	jc, _ := json.Marshal(stripTiming(t, filepath.Join(dir, "c", "metrics.jsonl")))
	if bytes.Equal(ja, jc) {
		t.Error("another seed gave the same metrics: the comparison cannot tell runs apart")
	}
}

func TestDivergenceEndsRunWithStatusAndMetricsKept(t *testing.T) {
	dir := t.TempDir()
	cfg := writeFile(t, dir, "tiny.yaml", tinyConfig)
	stdout, stderr, code := wdlab(t, dir, "train", "-c", cfg, "--out", "run", "-q", "--set", "optim.lr=1e30")
	if code != 0 || !strings.Contains(stdout, "diverged") {
		t.Fatalf("exit %d, stdout %q, stderr %q; want exit 0 and a diverged line", code, stdout, stderr)
	}
	raw, err := os.ReadFile(filepath.Join(dir, "run", "summary.json"))
	if err != nil {
		t.Fatal(err)
	}
	var s struct {
		Status string             `json:"status"`
		Final  map[string]float64 `json:"final"`
		Error  string             `json:"error"`
	}
	if err := json.Unmarshal(raw, &s); err != nil {
		t.Fatal(err)
	}
	if s.Status != "diverged" || s.Error == "" || s.Final["lr"] != 1e30 || s.Final["epoch"] != 1 {
		t.Errorf("summary %+v: want status diverged, an error and the final lr and epoch", s)
	}
	lines := stripTiming(t, filepath.Join(dir, "run", "metrics.jsonl"))
	if len(lines) != 1 || lines[0]["epoch"] != 1 || lines[0]["step"] < 1 {
		t.Errorf("metrics %v: want the diverged epoch's line", lines)
	}
}

// TestBenchGoMLXReportsMFU times a tiny PreAct-ResNet on the GoMLX pure-Go
// backend and checks the MFU fields of --json and the --peak-gflops override.
func TestBenchGoMLXReportsMFU(t *testing.T) {
	tiny := []string{"bench", "resnet", "--executor", "gomlx", "--gomlx-backend", "go", "--width", "4", "--blocks", "1", "--batch", "4", "--iters", "1", "--warmup", "0", "--json"}
	var r struct {
		Executor   string  `json:"executor"`
		GFLOPS     float64 `json:"gflops"`
		Device     string  `json:"device"`
		PeakGFLOPS float64 `json:"peak_gflops"`
		MFU        float64 `json:"mfu"`
		PeakNote   string  `json:"peak_note"`
	}
	for _, peak := range []string{"", "1000"} {
		args := tiny
		if peak != "" {
			args = append(append([]string(nil), tiny...), "--peak-gflops", peak)
		}
		stdout, stderr, code := wdlab(t, t.TempDir(), args...)
		if code != 0 {
			t.Fatalf("wdlab %v: exit %d: %s", args, code, stderr)
		}
		if err := json.Unmarshal([]byte(stdout), &r); err != nil {
			t.Fatalf("output %q: %v", stdout, err)
		}
		if r.Executor != "gomlx" || !strings.Contains(r.Device, "Go Portable Compute Backend") || !(r.PeakGFLOPS > 0) || !(r.MFU > 0) {
			t.Fatalf("result %+v: want the gomlx executor on the Go backend with mfu > 0", r)
		}
		if d := r.MFU - r.GFLOPS/r.PeakGFLOPS; d > 1e-12 || d < -1e-12 {
			t.Errorf("mfu %v != gflops/peak_gflops %v", r.MFU, r.GFLOPS/r.PeakGFLOPS)
		}
		if peak != "" && (r.PeakGFLOPS != 1000 || r.PeakNote != "--peak-gflops") {
			t.Errorf("--peak-gflops 1000 gave peak %v (%q)", r.PeakGFLOPS, r.PeakNote)
		}
	}
	// A tiny GPT on the GoMLX executor, in bf16, counts tokens as samples.
	gpt := []string{"bench", "gpt", "--executor", "gomlx", "--layers", "1", "--dim", "8", "--heads", "2", "--ctx", "8", "--vocab", "16", "--batch", "2", "--iters", "1", "--precision", "bf16", "--json"}
	stdout, stderr, code := wdlab(t, t.TempDir(), gpt...)
	if code != 0 {
		t.Fatalf("wdlab %v: exit %d: %s", gpt, code, stderr)
	}
	var g struct {
		Executor, Precision string
		SamplesPerS         float64 `json:"samples_per_s"`
		StepS               float64 `json:"step_s"`
		MFU                 float64 `json:"mfu"`
	}
	if err := json.Unmarshal([]byte(stdout), &g); err != nil {
		t.Fatalf("output %q: %v", stdout, err)
	}
	if g.Executor != "gomlx" || g.Precision != "bf16" || !(g.MFU > 0) || math.Abs(g.SamplesPerS*g.StepS-16) > 1e-6 {
		t.Errorf("gpt result %+v: want gomlx, bf16, mfu > 0 and 16 tokens per step", g)
	}
}
