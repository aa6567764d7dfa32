package sweep

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

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

func TestK8sJob(t *testing.T) {
	sw, out := loadTestSweep(t)
	path, err := Emit(sw, out, "k8s", EmitOptions{Workers: 3, Extra: []string{"--executor", "gomlx"}})
	if err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(path)
	var job struct {
		APIVersion string `yaml:"apiVersion"`
		Kind       string
		Metadata   struct{ Name string }
		Spec       struct {
			CompletionMode string `yaml:"completionMode"`
			Completions    int
			Parallelism    int
			Template       struct {
				Spec struct {
					RestartPolicy string `yaml:"restartPolicy"`
					Containers    []struct {
						Command []string
						Env     []struct {
							Name      string
							ValueFrom struct {
								FieldRef struct {
									FieldPath string `yaml:"fieldPath"`
								} `yaml:"fieldRef"`
							} `yaml:"valueFrom"`
						}
						VolumeMounts []struct {
							MountPath string `yaml:"mountPath"`
						} `yaml:"volumeMounts"`
					}
				}
			}
		}
	}
	if err := yaml.Unmarshal(data, &job); err != nil {
		t.Fatalf("manifest does not parse: %v\n%s", err, data)
	}
	s := job.Spec
	if job.APIVersion != "batch/v1" || job.Kind != "Job" || job.Metadata.Name != "lr-x-wd" ||
		s.CompletionMode != "Indexed" || s.Completions != 6 || s.Parallelism != 3 ||
		s.Template.Spec.RestartPolicy != "Never" || len(s.Template.Spec.Containers) != 1 {
		t.Fatalf("manifest fields: %+v", job)
	}
	c := s.Template.Spec.Containers[0]
	if got := strings.Join(c.Command, " "); got != "wdlab sweep -c "+sw.Path+" --out "+out+" --index $(JOB_COMPLETION_INDEX) --executor gomlx" {
		t.Errorf("command %q", got)
	}
	if len(c.Env) != 1 || c.Env[0].Name != "JOB_COMPLETION_INDEX" ||
		c.Env[0].ValueFrom.FieldRef.FieldPath != "metadata.annotations['batch.kubernetes.io/job-completion-index']" {
		t.Errorf("env %+v", c.Env)
	}
	if len(c.VolumeMounts) != 1 || c.VolumeMounts[0].MountPath != filepath.Dir(sw.Path) {
		t.Errorf("volume mounts %+v, want the sweep's directory", c.VolumeMounts)
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
