package sweep

import (
	"os"
	"path/filepath"
	"strings"

	"wdlab/internal/config"
	"wdlab/internal/runio"
)

// Names of the cluster files Emit writes into the output directory.
const (
	SlurmFile = "sweep.slurm"
	K8sFile   = "sweep-job.yaml"
)

// EmitOptions parameterise the cluster files.
type EmitOptions struct {
	Exe     string // the wdlab binary the Slurm script runs (overridable with $WDLAB)
	Workers int    // tasks running at once; 0: the sweep's workers, else no limit
	// Res are the resources each task asks for, over the sweep file's.
	Res Resources
	// Extra are arguments appended to each task's `wdlab sweep` command
	// (the executor flags, passed on to `wdlab train`).
	Extra []string
}

// workers returns the concurrency limit, 0 for none.
func (o EmitOptions) workers(sw *Sweep) int {
	if o.Workers > 0 {
		return o.Workers
	}
	return sw.Workers
}

// Emit creates out/logs (Slurm writes task logs there) and writes the
// cluster file of kind "slurm" (OUT/sweep.slurm) or "k8s"
// (OUT/sweep-job.yaml) and returns its path. Both run, for task index I,
// `wdlab sweep -c SWEEP --out OUT --index I` with absolute paths, asking for
// the sweep file's resources overridden by opt.Res.
func Emit(sw *Sweep, out, kind string, opt EmitOptions) (string, error) {
	abs, err := filepath.Abs(out)
	if err != nil {
		return "", err
	}
	opt.Res = sw.Resources.Merge(opt.Res)
	var name string
	var data []byte
	switch kind {
	case "slurm":
		name, data = SlurmFile, SlurmScript(sw, abs, opt)
	case "k8s":
		name = K8sFile
		if data, err = K8sJob(sw, abs, opt); err != nil {
			return "", err
		}
	default:
		return "", config.Inputf("unknown --emit %q (want slurm or k8s)", kind)
	}
	if err := os.MkdirAll(filepath.Join(abs, LogsDir), 0o755); err != nil {
		return "", err
	}
	path := filepath.Join(abs, name)
	if err := runio.WriteFileAtomic(path, data, 0o644); err != nil {
		return "", err
	}
	return path, nil
}

// ShellQuote quotes s as one bash word.
func ShellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
