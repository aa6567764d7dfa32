package sweep

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	k8syaml "sigs.k8s.io/yaml"

	"wdlab/internal/config"
)

func loadTestSweep(t *testing.T) (*Sweep, string) {
	t.Helper()
	p := writeSweep(t, "name: LR x WD\nbase: base.yaml\ngrid:\n  optim.lr: [0.01, 0.1]\n  optim.wd: [0, 1e-3, 1e-2]\nworkers: 2\n")
	sw, err := Load(p)
	if err != nil {
		t.Fatal(err)
	}
	return sw, filepath.Join(filepath.Dir(p), "out dir")
}

func TestSlurmScript(t *testing.T) {
	sw, out := loadTestSweep(t)
	path, err := Emit(sw, out, "slurm", EmitOptions{Exe: "/opt/bin/wdlab", Extra: []string{"--executor", "gomlx", "--gomlx-backend", "xla:/opt/p q.so"}})
	if err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(path)
	script := string(data)
	for _, want := range []string{
		"#!/bin/bash\n",
		"#SBATCH --array=0-5%2\n",
		"#SBATCH --job-name=LR_x_WD\n",
		"#   4 -> cells/0004-optim.lr=0.1,optim.wd=1e-3\n",
		`--index "$SLURM_ARRAY_TASK_ID"`,
	} {
		if !strings.Contains(script, want) {
			t.Errorf("script lacks %q:\n%s", want, script)
		}
	}
	if out, err := exec.Command("bash", "-n", path).CombinedOutput(); err != nil {
		t.Fatalf("bash -n: %v\n%s", err, out)
	}
	// Run it with echo standing in for wdlab: task 4 must run cell 4.
	cmd := exec.Command("bash", path)
	cmd.Env = append(os.Environ(), "WDLAB=echo", "SLURM_ARRAY_TASK_ID=4")
	got, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("running the script: %v\n%s", err, got)
	}
	want := "sweep -c " + sw.Path + " --out " + out + " --index 4 --executor gomlx --gomlx-backend xla:/opt/p q.so\n"
	if string(got) != want {
		t.Errorf("script ran %q, want %q", got, want)
	}
}

// The emitted Job decodes strictly (no unknown or misspelt field) into
// the Kubernetes API types and carries the resources, the grace period
// and the volume of the output root.
func TestK8sJobDecodesStrictly(t *testing.T) {
	sw, out := loadTestSweep(t)
	res := Resources{CPUs: 8, MemMiB: 32 << 10, GPUs: 2, Time: 6 * time.Hour, Grace: 5 * time.Minute, Image: "reg.example/wdlab:1", Claim: "shared"}
	path, err := Emit(sw, out, "k8s", EmitOptions{Workers: 3, Res: res, Extra: []string{"--executor", "gomlx"}})
	if err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(path)
	var job batchv1.Job
	if err := k8syaml.UnmarshalStrict(data, &job); err != nil {
		t.Fatalf("not a strict batch/v1 Job: %v\n%s", err, data)
	}
	s := job.Spec
	if job.APIVersion != "batch/v1" || job.Kind != "Job" || job.Name != "lr-x-wd" ||
		*s.CompletionMode != batchv1.IndexedCompletion || *s.Completions != 6 || *s.Parallelism != 3 || *s.BackoffLimit != 18 {
		t.Fatalf("job fields: %+v", job)
	}
	pod := s.Template.Spec
	if pod.RestartPolicy != corev1.RestartPolicyNever || *pod.TerminationGracePeriodSeconds != 300 ||
		*pod.ActiveDeadlineSeconds != 6*3600 || len(pod.Containers) != 1 {
		t.Fatalf("pod spec: %+v", pod)
	}
	c := pod.Containers[0]
	if got := strings.Join(c.Command, " "); got != "wdlab sweep -c "+sw.Path+" --out "+out+" --index $(JOB_COMPLETION_INDEX) --executor gomlx" {
		t.Errorf("command %q", got)
	}
	if c.Image != "reg.example/wdlab:1" || len(c.Env) != 1 || c.Env[0].Name != "JOB_COMPLETION_INDEX" {
		t.Errorf("image %q env %+v", c.Image, c.Env)
	}
	want := map[string]string{"requests cpu": "8", "requests memory": "32Gi", "limits memory": "32Gi", "limits nvidia.com/gpu": "2"}
	got := map[string]string{}
	for name, l := range map[string]corev1.ResourceList{"requests": c.Resources.Requests, "limits": c.Resources.Limits} {
		for k, q := range l {
			got[name+" "+string(k)] = q.String()
		}
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("resources %v, want %v", got, want)
	}
	if len(c.VolumeMounts) != 1 || c.VolumeMounts[0].MountPath != filepath.Dir(sw.Path) ||
		len(pod.Volumes) != 1 || pod.Volumes[0].PersistentVolumeClaim.ClaimName != "shared" {
		t.Errorf("mounts %+v volumes %+v, want claim shared at the sweep's directory", c.VolumeMounts, pod.Volumes)
	}
	// A misspelt field is what a strict decode must catch.
	bad := strings.Replace(string(data), "completionMode:", "completionMod:", 1)
	if err := k8syaml.UnmarshalStrict([]byte(bad), &batchv1.Job{}); err == nil {
		t.Error("strict decoding accepted an unknown field")
	}
}

// The Slurm script asks for the resources of the sweep file overridden by
// the flags, with the checkpoint signal and requeue.
func TestSlurmScriptResources(t *testing.T) {
	p := writeSweep(t, "base: base.yaml\ngrid:\n  optim.lr: [0.1]\nresources:\n  cpus: 2\n  mem: 4G\n  partition: cpu\n  sbatch: [--constraint=a100, --qos=long]\n")
	sw, err := Load(p)
	if err != nil {
		t.Fatal(err)
	}
	flags := Resources{CPUs: 16, GPUs: 4, Time: 36*time.Hour + 90*time.Second, Account: "proj1", SBatch: []string{"--exclusive"}}
	path, err := Emit(sw, filepath.Join(filepath.Dir(p), "out"), "slurm", EmitOptions{Res: flags})
	if err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(path)
	var got []string
	for _, line := range strings.Split(string(data), "\n") {
		if o, ok := strings.CutPrefix(line, "#SBATCH "); ok && !strings.HasPrefix(o, "--job-name") && !strings.HasPrefix(o, "--output") {
			got = append(got, o)
		}
	}
	want := []string{"--array=0-0", "--open-mode=append", "--cpus-per-task=16", "--mem=4G", "--gres=gpu:4",
		"--time=1-12:01:30", "--partition=cpu", "--account=proj1", "--constraint=a100", "--qos=long", "--exclusive",
		"--signal=B:USR1@120", "--requeue"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("#SBATCH options\n got %v\nwant %v", got, want)
	}
}

// The script's signal handling: SIGUSR1 (to the batch shell alone) sends
// SIGTERM once to wdlab and to its training process and requeues the task;
// SIGTERM to every process (scancel) is not passed on again. Either way
// the task ends with wdlab's exit code.
func TestSlurmScriptSignals(t *testing.T) {
	sw, out := loadTestSweep(t)
	path, err := Emit(sw, out, "slurm", EmitOptions{})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	log := filepath.Join(dir, "log")
	// A fake wdlab with one child (the training), each logging the
	// signals it gets, and a fake scontrol.
	fake := "#!/bin/bash\n" +
		"train() { trap 'echo train got TERM >> " + log + "; exit 0' TERM; touch " + dir + "/train-ready; while :; do sleep 0.02; done; }\n" +
		"train &\n" +
		"trap 'echo wdlab got TERM >> " + log + "; wait; exit 3' TERM\n" +
		"touch " + dir + "/started\nwhile :; do sleep 0.02; done\n"
	scontrol := "#!/bin/sh\necho scontrol \"$@\" >> " + log + "\n"
	for name, body := range map[string]string{"wdlab": fake, "scontrol": scontrol} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		name string
		send func(pid int) error
		want string
	}{
		{"USR1 to the shell", func(pid int) error { return syscall.Kill(pid, syscall.SIGUSR1) },
			"scontrol requeue 77_4|train got TERM|wdlab got TERM"},
		{"TERM to every process", func(pid int) error { return syscall.Kill(-pid, syscall.SIGTERM) },
			"train got TERM|wdlab got TERM"},
	} {
		os.Remove(log)
		os.Remove(filepath.Join(dir, "started"))
		os.Remove(filepath.Join(dir, "train-ready"))
		cmd := exec.Command("bash", path)
		cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
		cmd.Env = append(os.Environ(), "WDLAB="+filepath.Join(dir, "wdlab"), "PATH="+dir+":"+os.Getenv("PATH"),
			"SLURM_ARRAY_TASK_ID=4", "SLURM_ARRAY_JOB_ID=77")
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		for _, f := range []string{"started", "train-ready"} { // both traps are set
			for i := 0; i < 500; i++ {
				if _, err := os.Stat(filepath.Join(dir, f)); err == nil {
					break
				}
				time.Sleep(10 * time.Millisecond)
			}
		}
		waitInWait(cmd.Process.Pid)
		if err := tc.send(cmd.Process.Pid); err != nil {
			t.Fatal(err)
		}
		timer := time.AfterFunc(30*time.Second, func() { syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) })
		err := cmd.Wait()
		timer.Stop()
		var ee *exec.ExitError
		if !errors.As(err, &ee) || ee.ExitCode() != 3 {
			t.Errorf("%s: script ended with %v, want exit code 3", tc.name, err)
		}
		b, _ := os.ReadFile(log)
		lines := strings.Split(strings.TrimSpace(string(b)), "\n")
		sort.Strings(lines)
		if got := strings.Join(lines, "|"); got != tc.want {
			t.Errorf("%s: log %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestEmitUnknownKind(t *testing.T) {
	sw, out := loadTestSweep(t)
	var ce *config.InputError
	if _, err := Emit(sw, out, "pbs", EmitOptions{}); !errors.As(err, &ce) {
		t.Errorf("want a *config.InputError, got %v", err)
	}
}

func TestDNSLabelAndCommonDir(t *testing.T) {
	for in, want := range map[string]string{"LR x WD": "lr-x-wd", "--": "wdlab-sweep", strings.Repeat("a", 70): strings.Repeat("a", 63)} {
		if got := dnsLabel(in); got != want {
			t.Errorf("dnsLabel(%q) = %q, want %q", in, got, want)
		}
	}
	if got := commonDir("/w/a/s.yaml", "/w/a/b/base.yaml", "/w/ab/out"); got != "/w" {
		t.Errorf("commonDir = %q, want /w", got)
	}
	if got := commonDir("/a/s.yaml", "/b/c"); got != "/" {
		t.Errorf("commonDir = %q, want /", got)
	}
}

// waitInWait waits, up to 5 s, until process pid sleeps in wait(2) (its
// /proc wchan is do_wait), as the batch shell does once it has started
// wdlab; where /proc does not name the wait channel it sleeps 200 ms.
func waitInWait(pid int) {
	path := fmt.Sprintf("/proc/%d/wchan", pid)
	for i := 0; i < 500; i++ {
		b, err := os.ReadFile(path)
		switch w := string(b); {
		case err != nil || w == "" || w == "0":
			time.Sleep(200 * time.Millisecond)
			return
		case w == "do_wait":
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
}
