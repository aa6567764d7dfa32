package sweep

import (
	"bytes"
	"fmt"
	"path/filepath"
	"strings"

	"gopkg.in/yaml.v3"
)

// Kubernetes manifest types: only the fields the Job uses, in the order a
// person expects to read them.
type (
	k8sJob struct {
		APIVersion string  `yaml:"apiVersion"`
		Kind       string  `yaml:"kind"`
		Metadata   k8sMeta `yaml:"metadata"`
		Spec       k8sSpec `yaml:"spec"`
	}
	k8sMeta struct {
		Name   string            `yaml:"name"`
		Labels map[string]string `yaml:"labels,omitempty"`
	}
	k8sSpec struct {
		CompletionMode string      `yaml:"completionMode"`
		Completions    int         `yaml:"completions"`
		Parallelism    int         `yaml:"parallelism"`
		BackoffLimit   int         `yaml:"backoffLimit"`
		Template       k8sTemplate `yaml:"template"`
	}
	k8sTemplate struct {
		Spec k8sPodSpec `yaml:"spec"`
	}
	k8sPodSpec struct {
		RestartPolicy string         `yaml:"restartPolicy"`
		Containers    []k8sContainer `yaml:"containers"`
		Volumes       []k8sVolume    `yaml:"volumes,omitempty"`
	}
	k8sContainer struct {
		Name         string     `yaml:"name"`
		Image        string     `yaml:"image"`
		Command      []string   `yaml:"command"`
		Env          []k8sEnv   `yaml:"env"`
		VolumeMounts []k8sMount `yaml:"volumeMounts,omitempty"`
	}
	k8sEnv struct {
		Name      string `yaml:"name"`
		ValueFrom struct {
			FieldRef struct {
				FieldPath string `yaml:"fieldPath"`
			} `yaml:"fieldRef"`
		} `yaml:"valueFrom"`
	}
	k8sMount struct {
		Name      string `yaml:"name"`
		MountPath string `yaml:"mountPath"`
	}
	k8sVolume struct {
		Name                  string `yaml:"name"`
		PersistentVolumeClaim struct {
			ClaimName string `yaml:"claimName"`
		} `yaml:"persistentVolumeClaim"`
	}
)

// K8sJob returns a Kubernetes Indexed Job (batch/v1) for the sweep whose
// output directory is out (absolute): completions = cells, parallelism =
// opt.Workers (or the sweep's workers, else all cells), and a container
// running `wdlab sweep -c SWEEP --out OUT --index $(JOB_COMPLETION_INDEX)`.
// When the sweep file, base config and out share a directory other than
// /, a persistent volume claim named <job>-work is mounted there so the
// same paths resolve in the pod.
func K8sJob(sw *Sweep, out string, opt EmitOptions) ([]byte, error) {
	n := sw.NumCells()
	par := opt.workers(sw)
	if par <= 0 {
		par = n
	}
	image := opt.Image
	if image == "" {
		image = "wdlab:latest"
	}
	name := dnsLabel(sw.Name)
	env := k8sEnv{Name: "JOB_COMPLETION_INDEX"}
	env.ValueFrom.FieldRef.FieldPath = "metadata.annotations['batch.kubernetes.io/job-completion-index']"
	ctr := k8sContainer{
		Name:    "wdlab",
		Image:   image,
		Command: append([]string{"wdlab", "sweep", "-c", sw.Path, "--out", out, "--index", "$(JOB_COMPLETION_INDEX)"}, opt.Extra...),
		Env:     []k8sEnv{env},
	}
	pod := k8sPodSpec{RestartPolicy: "Never"}
	if mount := commonDir(sw.Path, sw.Base, out); mount != "/" {
		ctr.VolumeMounts = []k8sMount{{Name: "work", MountPath: mount}}
		v := k8sVolume{Name: "work"}
		v.PersistentVolumeClaim.ClaimName = dnsLabel(name + "-work")
		pod.Volumes = []k8sVolume{v}
	}
	pod.Containers = []k8sContainer{ctr}
	job := k8sJob{
		APIVersion: "batch/v1",
		Kind:       "Job",
		Metadata:   k8sMeta{Name: name, Labels: map[string]string{"app.kubernetes.io/name": "wdlab-sweep"}},
		Spec: k8sSpec{CompletionMode: "Indexed", Completions: n, Parallelism: par,
			BackoffLimit: n, Template: k8sTemplate{Spec: pod}},
	}
	var body bytes.Buffer
	enc := yaml.NewEncoder(&body)
	enc.SetIndent(2)
	if err := enc.Encode(job); err != nil {
		return nil, err
	}
	head := fmt.Sprintf("# wdlab sweep %q: %d cells, one Job index per cell (index -> cell in %s).\n"+
		"# Set the image; the paths below must resolve inside the pod. Apply with: kubectl apply -f %s\n",
		sw.Name, n, filepath.Join(out, CellsFile), filepath.Join(out, K8sFile))
	return append([]byte(head), body.Bytes()...), nil
}

// dnsLabel turns s into a Kubernetes object name: lowercase letters,
// digits and '-', starting and ending with an alphanumeric, at most 63.
func dnsLabel(s string) string {
	b := []byte(strings.ToLower(s))
	for i, c := range b {
		if (c < 'a' || c > 'z') && (c < '0' || c > '9') {
			b[i] = '-'
		}
	}
	out := strings.Trim(string(b), "-")
	if len(out) > 63 {
		out = strings.TrimRight(out[:63], "-")
	}
	if out == "" {
		return "wdlab-sweep"
	}
	return out
}

// commonDir returns the deepest directory containing every path.
func commonDir(paths ...string) string {
	dir := filepath.Dir(paths[0])
	for _, p := range paths[1:] {
		for dir != "/" && p != dir && !strings.HasPrefix(p, dir+string(filepath.Separator)) {
			dir = filepath.Dir(dir)
		}
	}
	return dir
}
