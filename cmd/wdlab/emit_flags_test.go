package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Bad resource flags are one line on stderr, exit code 2 and nothing
// written.
func TestEmitFlagsBadInput(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "base.yaml", tinyConfig)
	writeFile(t, dir, "grid.yaml", "base: base.yaml\ngrid: {optim.wd: [0, 0.1]}\n")
	out := filepath.Join(dir, "out")
	for _, c := range []struct{ args, want string }{
		{"sweep -c grid.yaml --out OUT --cpus 4", "wdlab sweep: --cpus is a cluster job resource: use it with --emit slurm|k8s"},
		{"sweep -c grid.yaml --out OUT --emit slurm --mem lots", `invalid value "lots" for flag -mem: mem "lots": want a size such as 16G or 512M`},
		{"sweep -c grid.yaml --out OUT --emit k8s --time 1.5s", `time "1.5s": want a duration of whole seconds`},
		{"sweep -c grid.yaml --out OUT --emit slurm --sbatch constraint=a", `sbatch "constraint=a": want one sbatch option`},
		{"exp run fig2 --out OUT --emit slurm --gpus -1", `gpus "-1": want a whole number`},
		{"exp run fig2 --out OUT --partition gpu", "wdlab exp: --partition is a cluster job resource"},
	} {
		args := strings.Fields(strings.ReplaceAll(c.args, "OUT", out))
		stdout, stderr, code := wdlab(t, dir, args...)
		if code != 2 || stdout != "" || strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, c.want) {
			t.Errorf("%s: exit %d, stdout %q, stderr %q; want exit 2 and one line with %q", c.args, code, stdout, stderr, c.want)
		}
		if _, err := os.Stat(out); !os.IsNotExist(err) {
			t.Fatalf("%s: wrote %s", c.args, out)
		}
	}
}

// exp run emits through the same flags as sweep: the paper-scale fig2 job
// asks for what the flags say.
func TestExpRunEmitsResources(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "fig2")
	_, stderr, code := wdlab(t, dir, "exp", "run", "fig2", "--scale", "paper", "--out", out, "--emit", "slurm",
		"--gpus", "1", "--cpus", "8", "--mem", "32G", "--time", "12h", "--partition", "gpu", "--account", "wd")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	script, err := os.ReadFile(filepath.Join(out, "sweep.slurm"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"--gres=gpu:1", "--cpus-per-task=8", "--mem=32G", "--time=0-12:00:00", "--partition=gpu",
		"--account=wd", "--signal=B:USR1@120", "--requeue"} {
		if !strings.Contains(string(script), "#SBATCH "+want+"\n") {
			t.Errorf("script lacks #SBATCH %s", want)
		}
	}
	if _, stderr, code := wdlab(t, dir, "exp", "run", "fig2", "--scale", "paper", "--out", filepath.Join(dir, "k"), "--emit", "k8s", "--gpus", "2"); code != 0 {
		t.Fatalf("k8s: exit %d: %s", code, stderr)
	}
	job, _ := os.ReadFile(filepath.Join(dir, "k", "sweep-job.yaml"))
	if !strings.Contains(string(job), "nvidia.com/gpu: \"2\"") {
		t.Errorf("Job lacks the GPU limit:\n%s", job)
	}
}
