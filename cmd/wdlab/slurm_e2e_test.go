package main

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"wdlab/internal/runio"
	"wdlab/internal/store"
	"wdlab/internal/sweep"
)

// slurmLocal is the script that runs the one-node test cluster.
var slurmLocal = filepath.Join("..", "..", "scripts", "slurm-local.sh")

// requireSlurm skips the test where Slurm is not installed (it must be in
// CI), and starts the one-node cluster when it is installed but not running,
// stopping it again when the test ends.
func requireSlurm(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("sbatch"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("sbatch not found in CI: .ci/setup.d/30-slurm.sh installs Slurm")
		}
		t.Skip("Slurm is not installed: bash .ci/setup.d/30-slurm.sh installs and starts a one-node cluster")
	}
	if exec.Command("bash", slurmLocal, "status").Run() == nil {
		return
	}
	if os.Geteuid() != 0 {
		t.Skip("Slurm is installed but not running, and starting it (bash scripts/slurm-local.sh start) needs root")
	}
	if out, err := exec.Command("bash", slurmLocal, "start").CombinedOutput(); err != nil {
		t.Fatalf("starting the one-node Slurm cluster: %v\n%s", err, out)
	}
	t.Cleanup(func() { exec.Command("bash", slurmLocal, "stop").Run() })
}

// sbatch submits script with the environment that makes the test binary act
// as wdlab, and returns the job id.
func sbatch(t *testing.T, script string) string {
	t.Helper()
	cmd := exec.Command("sbatch", "--parsable", script)
	cmd.Env = append(os.Environ(), cliEnv+"=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("sbatch %s: %v\n%s", script, err, out)
	}
	return strings.TrimSpace(strings.Split(string(out), ";")[0])
}

// waitFor polls cond every 200 ms until it holds, failing after limit.
func waitFor(t *testing.T, what string, limit time.Duration, cond func() bool) {
	t.Helper()
	for end := time.Now().Add(limit); !cond(); time.Sleep(200 * time.Millisecond) {
		if time.Now().After(end) {
			t.Fatalf("timed out after %v waiting for %s", limit, what)
		}
	}
}

// jobGone reports whether no task of the job is pending or running.
func jobGone(job string) bool {
	out, err := exec.Command("squeue", "-h", "-j", job, "-o", "%i").Output()
	return err != nil || strings.TrimSpace(string(out)) == ""
}

// cellStatus returns the status of summary.json in the cell directory, or "".
func cellStatus(dir string) string {
	if s, err := runio.ReadSummary(filepath.Join(dir, runio.SummaryFile)); err == nil {
		return s.Status
	}
	return ""
}

// lsRow is one row of `wdlab runs ls`.
type lsRow struct {
	status   string
	attempts int
}

// runsLs runs `wdlab runs ls --root out` and returns the rows by cell.
func runsLs(t *testing.T, dir, out string) map[int]lsRow {
	t.Helper()
	stdout, stderr, code := wdlab(t, dir, "runs", "ls", "--root", out)
	if code != 0 {
		t.Fatalf("runs ls: exit %d: %s", code, stderr)
	}
	rows := map[int]lsRow{}
	sc := bufio.NewScanner(strings.NewReader(stdout))
	sc.Scan() // header
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		cell, err1 := strconv.Atoi(f[1])
		n, err2 := strconv.Atoi(f[3])
		if len(f) < 4 || err1 != nil || err2 != nil {
			t.Fatalf("runs ls row %q", sc.Text())
		}
		rows[cell] = lsRow{f[2], n}
	}
	return rows
}

// The emitted Slurm array runs on a real (one-node) Slurm: every cell
// completes and runs ls and the report see them; an array cancelled
// mid-way and submitted again reruns no finished cell and resumes the
// interrupted ones from their checkpoints.
func TestSlurmEndToEnd(t *testing.T) {
	requireSlurm(t)
	dir := t.TempDir()
	// Two epochs of a wider BN-MLP take about a second; forty take several.
	writeFile(t, dir, "base.yaml", strings.Replace(tinyConfig, "hidden: [16]", "hidden: [512, 512]", 1))

	t.Run("complete", func(t *testing.T) {
		writeFile(t, dir, "grid.yaml", "name: grid\nbase: base.yaml\ngrid:\n  optim.lr: [0.05, 0.1]\n  optim.wd: [0, 0.001]\n")
		out := filepath.Join(dir, "grid")
		_, stderr, code := wdlab(t, dir, "sweep", "-c", "grid.yaml", "--out", out, "--emit", "slurm",
			"--cpus", "1", "--mem", "500M", "--time", "10m", "--sbatch", "--comment=wdlab-e2e")
		if code != 0 {
			t.Fatalf("emit: exit %d: %s", code, stderr)
		}
		script := filepath.Join(out, "sweep.slurm")
		body, _ := os.ReadFile(script)
		for _, want := range []string{"--cpus-per-task=1\n", "--mem=500M\n", "--time=0-00:10:00\n", "--comment=wdlab-e2e\n",
			"--signal=B:USR1@120\n", "--requeue\n"} {
			if !strings.Contains(string(body), "#SBATCH "+want) {
				t.Errorf("script lacks #SBATCH %s", want)
			}
		}
		job := sbatch(t, script)
		waitFor(t, "job "+job, 5*time.Minute, func() bool { return jobGone(job) })
		rows := runsLs(t, dir, out)
		for i := range 4 {
			if r := rows[i]; r.status != "completed" || r.attempts != 1 {
				t.Errorf("cell %d: runs ls says %+v, want completed after 1 attempt", i, r)
			}
		}
		if len(rows) != 4 {
			t.Errorf("runs ls shows %d cells, want 4", len(rows))
		}
		stdout, stderr, code := wdlab(t, dir, "report", out)
		if code != 0 || !strings.Contains(stdout, "figures") {
			t.Errorf("report: exit %d, %q %q", code, stdout, stderr)
		}
	})

	t.Run("cancel and resubmit", func(t *testing.T) {
		writeFile(t, dir, "long.yaml", "name: long\nbase: base.yaml\ngrid:\n  train.epochs: [2, 40]\n  train.eval_batch_size: [250, 500]\n")
		out := filepath.Join(dir, "long")
		if _, stderr, code := wdlab(t, dir, "sweep", "-c", "long.yaml", "--out", out, "--emit", "slurm", "--cpus", "1"); code != 0 {
			t.Fatalf("emit: exit %d: %s", code, stderr)
		}
		sw, err := sweep.Load(filepath.Join(dir, "long.yaml"))
		if err != nil {
			t.Fatal(err)
		}
		cells := make([]string, 4)
		for i := range cells {
			c, _ := sw.Cell(i)
			cells[i] = sweep.CellDir(out, c)
		}
		script := filepath.Join(out, "sweep.slurm")
		job := sbatch(t, script)
		// Cells 0 and 1 (2 epochs) run first and finish; cells 2 and 3 (40
		// epochs) then run side by side and are cancelled once each has
		// checkpointed an epoch.
		waitFor(t, "short cells done, long cells checkpointed", 5*time.Minute, func() bool {
			return cellStatus(cells[0]) == "completed" && cellStatus(cells[1]) == "completed" &&
				epochsDone(cells[2]) >= 1 && epochsDone(cells[3]) >= 1
		})
		if err := exec.Command("scancel", job).Run(); err != nil {
			t.Fatal(err)
		}
		waitFor(t, "cancelled job "+job+" to end", 2*time.Minute, func() bool { return jobGone(job) })
		for _, i := range []int{2, 3} {
			if s := cellStatus(cells[i]); s != "interrupted" {
				t.Fatalf("cell %d after scancel: status %q, want interrupted (checkpointed on SIGTERM); make it longer if completed", i, s)
			}
		}
		job2 := sbatch(t, script)
		waitFor(t, "job "+job2, 5*time.Minute, func() bool { return jobGone(job2) })
		rows := runsLs(t, dir, out)
		for i, want := range []int{1, 1, 2, 2} {
			if r := rows[i]; r.status != "completed" || r.attempts != want {
				t.Errorf("cell %d: runs ls says %+v, want completed after %d attempts", i, r, want)
			}
		}
		resumed := regexp.MustCompile(`resuming \S+ at step ([0-9]+)`)
		for _, i := range []int{2, 3} {
			c, _ := sw.Cell(i)
			log, _ := os.ReadFile(sweep.LogPath(out, c))
			m := resumed.FindSubmatch(log)
			if m == nil || string(m[1]) == "0" {
				t.Errorf("cell %d did not resume from a checkpoint; its log:\n%s", i, log)
			}
			if n := epochsDone(cells[i]); n != 40 {
				t.Errorf("cell %d: %d epochs in metrics.jsonl, want 40", i, n)
			}
			att, _ := store.ReadAttempts(cells[i])
			if len(att) != 2 || !strings.HasPrefix(att[0].Job, job+"_") || !strings.HasPrefix(att[1].Job, job2+"_") {
				t.Errorf("cell %d attempts %+v, want one in job %s and one in job %s", i, att, job, job2)
			}
		}
	})

	t.Run("signal before the time limit requeues", func(t *testing.T) {
		// What --signal=B:USR1@GRACE does near the time limit, sent now:
		// the task checkpoints, requeues itself and resumes in the same job.
		writeFile(t, dir, "one.yaml", "name: one\nbase: base.yaml\nset:\n  train.epochs: 40\ngrid:\n  optim.wd: [0.001]\n")
		out := filepath.Join(dir, "one")
		if _, stderr, code := wdlab(t, dir, "sweep", "-c", "one.yaml", "--out", out, "--emit", "slurm"); code != 0 {
			t.Fatalf("emit: exit %d: %s", code, stderr)
		}
		sw, err := sweep.Load(filepath.Join(dir, "one.yaml"))
		if err != nil {
			t.Fatal(err)
		}
		c, _ := sw.Cell(0)
		cell := sweep.CellDir(out, c)
		job := sbatch(t, filepath.Join(out, "sweep.slurm"))
		waitFor(t, "a checkpointed epoch", 5*time.Minute, func() bool { return epochsDone(cell) >= 1 })
		if b, err := exec.Command("scancel", "--batch", "--signal=USR1", job+"_0").CombinedOutput(); err != nil {
			t.Fatalf("scancel --signal=USR1: %v\n%s", err, b)
		}
		waitFor(t, "job "+job+" (requeued) to end", 5*time.Minute, func() bool { return jobGone(job) })
		if r := runsLs(t, dir, out)[0]; r.status != "completed" || r.attempts != 2 {
			t.Errorf("runs ls says %+v, want completed after 2 attempts", r)
		}
		att, _ := store.ReadAttempts(cell)
		if len(att) != 2 || att[0].Job != job+"_0" || att[1].Job != job+"_0" {
			t.Errorf("attempts %+v, want two in task %s_0", att, job)
		}
		log, _ := os.ReadFile(sweep.LogPath(out, c))
		if m := regexp.MustCompile(`resuming \S+ at step ([0-9]+)`).FindSubmatch(log); m == nil || string(m[1]) == "0" {
			t.Errorf("the requeued task did not resume from a checkpoint; its log:\n%s", log)
		}
	})
}

// epochsDone counts the evaluation points in a run's metrics.jsonl.
func epochsDone(dir string) int {
	pts, _ := runio.ReadMetrics(filepath.Join(dir, runio.MetricsFile))
	return len(pts)
}
