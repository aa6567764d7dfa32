package sweep

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"k8s.io/apimachinery/pkg/util/validation"
)

// DefaultGrace is how long before its time limit (Slurm) or after its
// termination signal (Kubernetes) a task has to stop its training with a
// checkpoint, when neither the sweep file nor a flag says.
const DefaultGrace = 2 * time.Minute

// Resources are what each cluster task asks the scheduler for. They come
// from the sweep file's resources mapping and from the emit flags (which
// win); zero fields are left to the scheduler's defaults.
type Resources struct {
	CPUs      int           // CPUs per task (Slurm --cpus-per-task, Kubernetes cpu request)
	MemMiB    int           // memory per task in MiB (Slurm --mem, Kubernetes memory request and limit)
	GPUs      int           // GPUs per task (Slurm --gres=gpu:N, Kubernetes nvidia.com/gpu limit)
	Time      time.Duration // time limit per task (Slurm --time, Kubernetes pod activeDeadlineSeconds)
	Grace     time.Duration // checkpoint time (Slurm --signal before the limit, Kubernetes terminationGracePeriodSeconds)
	Partition string        // Slurm --partition
	Account   string        // Slurm --account
	SBatch    []string      // extra #SBATCH arguments, e.g. --constraint=a100
	Image     string        // Kubernetes container image (default wdlab:latest)
	Claim     string        // Kubernetes PersistentVolumeClaim holding the output root (default JOB-work)
}

// ResourceKeys are the keys of a sweep file's resources mapping, which are
// also the names of the emit flags.
var ResourceKeys = []string{"cpus", "mem", "gpus", "time", "grace", "partition", "account", "sbatch", "image", "claim"}

var (
	memRe   = regexp.MustCompile(`^([0-9]+)([KMGT]?)$`)
	plainRe = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._:/@+-]*$`)
)

// Set parses value for key (one of ResourceKeys) into r; "sbatch" appends.
// Values: cpus and gpus integers (cpus >= 1), mem an integer with an
// optional K, M, G or T suffix (Slurm's units: no suffix is MiB), time and
// grace Go durations (90m, 24h), sbatch one sbatch option starting with
// "-", the others plain names.
func (r *Resources) Set(key, value string) error {
	fail := func(want string) error { return fmt.Errorf("%s %q: want %s", key, value, want) }
	ints := map[string]*int{"cpus": &r.CPUs, "gpus": &r.GPUs}
	durations := map[string]*time.Duration{"time": &r.Time, "grace": &r.Grace}
	switch key {
	case "cpus", "gpus":
		n, err := strconv.Atoi(value)
		if err != nil || n < 0 || key == "cpus" && n < 1 {
			return fail("a whole number (cpus at least 1)")
		}
		*ints[key] = n
	case "mem":
		m := memRe.FindStringSubmatch(strings.ToUpper(value))
		if m == nil {
			return fail("a size such as 16G or 512M")
		}
		n, _ := strconv.Atoi(m[1])
		if shift := map[string]int{"K": -10, "": 0, "M": 0, "G": 10, "T": 20}[m[2]]; shift < 0 {
			n >>= -shift
		} else {
			n <<= shift
		}
		if n < 1 {
			return fail("at least 1M")
		}
		r.MemMiB = n
	case "time", "grace":
		d, err := time.ParseDuration(value)
		if err != nil || d < time.Second || d%time.Second != 0 {
			return fail("a duration of whole seconds such as 90m or 24h")
		}
		*durations[key] = d
	case "sbatch":
		if !strings.HasPrefix(value, "-") || strings.ContainsAny(value, "\n\r") {
			return fail("one sbatch option such as --constraint=a100")
		}
		r.SBatch = append(r.SBatch, value)
	case "claim":
		if errs := validation.IsDNS1123Subdomain(value); len(errs) > 0 {
			return fail("a Kubernetes object name: " + errs[0])
		}
		r.Claim = value
	case "partition", "account", "image":
		if !plainRe.MatchString(value) {
			return fail("a name without spaces")
		}
		*map[string]*string{"partition": &r.Partition, "account": &r.Account, "image": &r.Image}[key] = value
	default:
		return fmt.Errorf("unknown resource %q (want one of %s)", key, strings.Join(ResourceKeys, ", "))
	}
	return nil
}

// Merge returns r with the non-zero fields of o in place of its own, and
// o's sbatch options after r's.
func (r Resources) Merge(o Resources) Resources {
	out := Resources{CPUs: or(r.CPUs, o.CPUs), MemMiB: or(r.MemMiB, o.MemMiB), GPUs: or(r.GPUs, o.GPUs),
		Time: or(r.Time, o.Time), Grace: or(r.Grace, o.Grace),
		Partition: or(r.Partition, o.Partition), Account: or(r.Account, o.Account),
		Image: or(r.Image, o.Image), Claim: or(r.Claim, o.Claim)}
	out.SBatch = append(append([]string(nil), r.SBatch...), o.SBatch...)
	return out
}

// or returns b unless it is the zero value, else a.
func or[T comparable](a, b T) T {
	var zero T
	if b != zero {
		return b
	}
	return a
}

// grace returns the checkpoint time: Grace, else DefaultGrace, and never
// more than half the time limit.
func (r Resources) grace() time.Duration {
	g := or(DefaultGrace, r.Grace)
	if r.Time > 0 {
		g = min(g, r.Time/2)
	}
	return g.Truncate(time.Second)
}
