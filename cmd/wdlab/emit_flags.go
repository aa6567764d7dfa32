package main

import (
	"flag"

	"wdlab/internal/sweep"
)

// emitUsage is the usage text of the emit flags.
const emitUsage = "[--emit slurm|k8s [--cpus N] [--mem 16G] [--gpus N] [--time 24h] [--grace 2m] [--partition P] [--account A] [--sbatch OPT ...] [--image I] [--claim PVC]]"

// emitHelp describes each resource flag (the keys of a sweep file's
// resources mapping).
var emitHelp = map[string]string{
	"cpus":      "CPUs per cluster task",
	"mem":       "memory per cluster task, e.g. 16G or 512M",
	"gpus":      "GPUs per cluster task (Slurm --gres=gpu:N, Kubernetes nvidia.com/gpu)",
	"time":      "time limit per cluster task, e.g. 24h",
	"grace":     "time a task has to checkpoint before its limit or after SIGTERM (default 2m)",
	"partition": "Slurm partition",
	"account":   "Slurm account",
	"sbatch":    "extra #SBATCH option, e.g. --constraint=a100 (repeatable)",
	"image":     "Kubernetes container image (default wdlab:latest)",
	"claim":     "Kubernetes PersistentVolumeClaim holding the output root (default JOB-work)",
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
