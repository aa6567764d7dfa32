package sweep

import (
	"fmt"
	"path/filepath"
	"strings"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/yaml"
)

// k8sRetriesPerCell is the Job's backoff limit per cell: how many times a
// cell's pod may fail (node loss, eviction, time limit) before the Job
// gives up.
const k8sRetriesPerCell = 3

// K8sJob returns a Kubernetes Indexed Job (batch/v1) for the sweep whose
// output directory is out (absolute): completions = cells, parallelism =
// opt.Workers (or the sweep's workers, else all cells), and a container
// running `wdlab sweep -c SWEEP --out OUT --index $(JOB_COMPLETION_INDEX)`
// with the resources of opt.Res (CPU and memory requests, a memory limit,
// nvidia.com/gpu limits, a per-pod deadline from the time limit). Pods are
// never restarted in place (restartPolicy Never): a failed pod is replaced
// by a new one for its index, up to 3 per cell in all (backoffLimit), and
// the replacement resumes the cell from its checkpoint. On deletion or
// eviction the pod has terminationGracePeriodSeconds (the grace time) to
// checkpoint after SIGTERM.
//
// When the sweep file, base config and out share a directory other than /,
// a persistent volume claim (opt.Res.Claim, default <job>-work) is mounted
// there so that the same paths resolve in the pod.
func K8sJob(sw *Sweep, out string, opt EmitOptions) ([]byte, error) {
	n := int32(sw.NumCells())
	par := int32(opt.workers(sw))
	if par <= 0 {
		par = n
	}
	res := opt.Res
	name := dnsLabel(sw.Name)
	ctr := corev1.Container{
		Name:      "wdlab",
		Image:     or("wdlab:latest", res.Image),
		Command:   append([]string{"wdlab", "sweep", "-c", sw.Path, "--out", out, "--index", "$(JOB_COMPLETION_INDEX)"}, opt.Extra...),
		Env:       []corev1.EnvVar{{Name: "JOB_COMPLETION_INDEX", ValueFrom: &corev1.EnvVarSource{FieldRef: &corev1.ObjectFieldSelector{FieldPath: "metadata.annotations['batch.kubernetes.io/job-completion-index']"}}}},
		Resources: k8sResources(res),
	}
	grace := int64(res.grace().Seconds())
	pod := corev1.PodSpec{RestartPolicy: corev1.RestartPolicyNever, TerminationGracePeriodSeconds: &grace}
	if res.Time > 0 {
		deadline := int64(res.Time.Seconds())
		pod.ActiveDeadlineSeconds = &deadline
	}
	if mount := commonDir(sw.Path, sw.Base, out); mount != "/" {
		ctr.VolumeMounts = []corev1.VolumeMount{{Name: "work", MountPath: mount}}
		claim := or(dnsLabel(name+"-work"), res.Claim)
		pod.Volumes = []corev1.Volume{{Name: "work", VolumeSource: corev1.VolumeSource{
			PersistentVolumeClaim: &corev1.PersistentVolumeClaimVolumeSource{ClaimName: claim}}}}
	}
	pod.Containers = []corev1.Container{ctr}
	labels := map[string]string{"app.kubernetes.io/name": "wdlab-sweep", "wdlab/sweep": name}
	mode := batchv1.IndexedCompletion
	backoff := k8sRetriesPerCell * n
	job := batchv1.Job{
		TypeMeta:   metav1.TypeMeta{APIVersion: "batch/v1", Kind: "Job"},
		ObjectMeta: metav1.ObjectMeta{Name: name, Labels: labels},
		Spec: batchv1.JobSpec{CompletionMode: &mode, Completions: &n, Parallelism: &par, BackoffLimit: &backoff,
			Template: corev1.PodTemplateSpec{ObjectMeta: metav1.ObjectMeta{Labels: labels}, Spec: pod}},
	}
	body, err := yaml.Marshal(job)
	if err != nil {
		return nil, err
	}
	head := fmt.Sprintf("# wdlab sweep %q: %d cells, one Job index per cell (index -> cell in %s).\n"+
		"# The paths below must resolve inside the pod. Apply with: kubectl apply -f %s\n",
		sw.Name, n, filepath.Join(out, CellsFile), filepath.Join(out, K8sFile))
	return append([]byte(head), body...), nil
}

// k8sResources turns the task resources into container requests and
// limits: CPUs and memory requested, memory and GPUs also limited (GPUs
// can only be given as limits).
func k8sResources(r Resources) corev1.ResourceRequirements {
	var req corev1.ResourceRequirements
	set := func(l *corev1.ResourceList, name corev1.ResourceName, q *resource.Quantity) {
		if *l == nil {
			*l = corev1.ResourceList{}
		}
		(*l)[name] = *q
	}
	if r.CPUs > 0 {
		set(&req.Requests, corev1.ResourceCPU, resource.NewQuantity(int64(r.CPUs), resource.DecimalSI))
	}
	if r.MemMiB > 0 {
		q := resource.NewQuantity(int64(r.MemMiB)<<20, resource.BinarySI)
		set(&req.Requests, corev1.ResourceMemory, q)
		set(&req.Limits, corev1.ResourceMemory, q)
	}
	if r.GPUs > 0 {
		set(&req.Limits, "nvidia.com/gpu", resource.NewQuantity(int64(r.GPUs), resource.DecimalSI))
	}
	return req
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
