package sweep

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestExecRunnerArgs(t *testing.T) {
	dir := t.TempDir()
	exe := filepath.Join(dir, "fake-wdlab")
	script := "#!/bin/sh\nprintf '%s\\n' \"$@\" > \"$(dirname \"$0\")/args.txt\"\necho trained\n[ \"$5\" != bad ]\n"
	if err := os.WriteFile(exe, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	run := ExecRunner(exe, 0, "--executor", "gomlx")
	job := Job{Dir: "celldir", Base: "/b.yaml", Overrides: []string{"a=1", "b=x y"}, Resume: true, Log: filepath.Join(dir, "cell.log")}
	if err := run(context.Background(), job); err != nil {
		t.Fatal(err)
	}
	args, _ := os.ReadFile(filepath.Join(dir, "args.txt"))
	if got := strings.Join(strings.Split(strings.TrimSpace(string(args)), "\n"), "|"); got != "train|-c|/b.yaml|--out|celldir|--set|a=1|--set|b=x y|--executor|gomlx|--resume" {
		t.Errorf("args %q", got)
	}
	log, _ := os.ReadFile(job.Log)
	if !strings.Contains(string(log), "trained\n") {
		t.Errorf("log %q lacks the training output", log)
	}
	job.Dir = "bad"
	if err := run(context.Background(), job); err == nil || !strings.Contains(err.Error(), job.Log) {
		t.Errorf("want a failure naming the log, got %v", err)
	}
}

// A cancelled sweep passes SIGINT to its training process, except under
// Slurm, which signals every process of the task itself.
func TestExecRunnerSignalsOnlyOutsideSlurm(t *testing.T) {
	dir := t.TempDir()
	exe := filepath.Join(dir, "fake-wdlab")
	script := "#!/bin/bash\ntrap 'echo INT >> " + dir + "/sig' INT\ntouch " + dir + "/started\nfor i in $(seq 20); do sleep 0.05; done\n"
	if err := os.WriteFile(exe, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, slurm := range []string{"", "42"} {
		t.Setenv("SLURM_JOB_ID", slurm)
		os.Remove(filepath.Join(dir, "sig"))
		os.Remove(filepath.Join(dir, "started"))
		ctx, cancel := context.WithCancel(context.Background())
		go func() {
			for i := 0; i < 500; i++ {
				if _, err := os.Stat(filepath.Join(dir, "started")); err == nil {
					break
				}
				time.Sleep(10 * time.Millisecond)
			}
			cancel()
		}()
		ExecRunner(exe, 0)(ctx, Job{Dir: dir, Base: "/b.yaml", Log: filepath.Join(dir, "cell.log")})
		cancel()
		_, err := os.Stat(filepath.Join(dir, "sig"))
		if got := err == nil; got != (slurm == "") {
			t.Errorf("SLURM_JOB_ID=%q: training process got SIGINT: %v", slurm, got)
		}
	}
}
