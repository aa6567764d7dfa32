package main

import (
	"flag"

	"wdlab/internal/sweep"
)

// emitHelp describes each resource flag (the keys of a sweep file's
// resources mapping).
var emitHelp = map[string]string{
	"cpus":      "`N` CPUs per cluster task",
	"mem":       "`SIZE` of memory per cluster task, e.g. 16G or 512M",
	"gpus":      "`N` GPUs per cluster task (Slurm --gres=gpu:N, Kubernetes nvidia.com/gpu)",
	"time":      "`DURATION` limit per cluster task, e.g. 24h",
	"grace":     "`DURATION` a task has to checkpoint before its limit or after SIGTERM (default 2m)",
	"partition": "Slurm `PARTITION`",
	"account":   "Slurm `ACCOUNT`",
	"sbatch":    "extra #SBATCH `OPTION`, e.g. --constraint=a100 (repeatable)",
	"image":     "Kubernetes container `IMAGE` (default wdlab:latest)",
	"claim":     "Kubernetes PersistentVolumeClaim `NAME` holding the output root (default JOB-work)",
}

// emitFlags are the cluster-job flags of sweep and exp run: the resources
// each task asks for, over those of the sweep file.
type emitFlags struct {
	res   sweep.Resources
	given []string // the resource flags set, in order
}

// addEmitFlags registers the resource flags on fs; each value is checked
// as it is parsed.
func addEmitFlags(fs *flag.FlagSet) *emitFlags {
	f := &emitFlags{}
	for _, key := range sweep.ResourceKeys {
		fs.Func(key, emitHelp[key], func(v string) error {
			f.given = append(f.given, key)
			return f.res.Set(key, v)
		})
	}
	return f
}

// check rejects resource flags given without --emit.
func (f *emitFlags) check(emit string) error {
	if emit == "" && len(f.given) > 0 {
		return usagef("--%s is a cluster job resource: use it with --emit slurm|k8s", f.given[0])
	}
	return nil
}
