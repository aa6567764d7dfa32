package sweep

import (
	"fmt"
	"path/filepath"
	"strings"
	"time"
)

// SlurmScript returns a bash Slurm array script for the sweep whose output
// directory is out (absolute): one array task per cell, task I running
// `wdlab sweep -c SWEEP --out OUT --index I`, at most opt.Workers at once
// when set, with the resources opt.Res asks for. Comments list the index ->
// cell mapping.
//
// Interruptions: Slurm sends the batch shell SIGUSR1 the grace time before
// the time limit (--signal=B:USR1@GRACE); the script then stops the cell
// (SIGTERM: wdlab train saves a checkpoint) and requeues its own task
// (--requeue), which resumes the cell from the checkpoint. On scancel or
// preemption (SIGTERM to every process of the job) the cell checkpoints
// the same way; resubmitting the script skips finished cells and resumes
// the others. The script needs pkill (procps) on the compute nodes.
func SlurmScript(sw *Sweep, out string, opt EmitOptions) []byte {
	n := sw.NumCells()
	array := fmt.Sprintf("0-%d", n-1)
	if w := opt.workers(sw); w > 0 {
		array += fmt.Sprintf("%%%d", w)
	}
	exe := opt.Exe
	if exe == "" {
		exe = "wdlab"
	}
	res := opt.Res
	var b strings.Builder
	sbatch := func(format string, a ...any) { fmt.Fprintf(&b, "#SBATCH "+format+"\n", a...) }
	b.WriteString("#!/bin/bash\n")
	sbatch("--job-name=%s", jobName(sw.Name))
	sbatch("--array=%s", array)
	sbatch("--output=%s", filepath.Join(out, LogsDir, "slurm-%A_%a.out"))
	sbatch("--open-mode=append")
	if res.CPUs > 0 {
		sbatch("--cpus-per-task=%d", res.CPUs)
	}
	if res.MemMiB > 0 {
		sbatch("--mem=%s", slurmMem(res.MemMiB))
	}
	if res.GPUs > 0 {
		sbatch("--gres=gpu:%d", res.GPUs)
	}
	if res.Time > 0 {
		sbatch("--time=%s", slurmTime(res.Time))
	}
	if res.Partition != "" {
		sbatch("--partition=%s", res.Partition)
	}
	if res.Account != "" {
		sbatch("--account=%s", res.Account)
	}
	for _, o := range res.SBatch {
		sbatch("%s", o)
	}
	sbatch("--signal=B:USR1@%d", int(res.grace().Seconds()))
	sbatch("--requeue")
	fmt.Fprintf(&b, "#\n# wdlab sweep %q: %d cells, one array task per cell.\n", sw.Name, n)
	fmt.Fprintf(&b, "# Submit with: sbatch %s\n", filepath.Join(out, SlurmFile))
	fmt.Fprintf(&b, "# Task index -> cell directory (also in %s):\n", filepath.Join(out, CellsFile))
	for _, c := range sw.Cells() {
		fmt.Fprintf(&b, "#   %d -> %s/%s\n", c.Index, CellsDir, c.Name())
	}
	fmt.Fprintf(&b, "WDLAB=\"${WDLAB:-%s}\"\n", exe)
	extra := ""
	for _, a := range opt.Extra {
		extra += " " + ShellQuote(a)
	}
	b.WriteString(slurmTraps)
	fmt.Fprintf(&b, "\"$WDLAB\" sweep -c %s --out %s --index \"$SLURM_ARRAY_TASK_ID\"%s &\n",
		ShellQuote(sw.Path), ShellQuote(out), extra)
	b.WriteString(slurmWait)
	return []byte(b.String())
}

// slurmTraps keep the batch shell alive through SIGTERM (scancel and
// preemption signal every process of the task, so wdlab and its training
// checkpoint on their own) and turn SIGUSR1, which --signal=B: sends to
// the shell alone, into SIGTERM for wdlab and its training processes and a
// requeue of this task. The training process must get exactly one signal:
// a second one stops it without its checkpoint.
const slurmTraps = `pid=
requeue=0
stop_task() { pkill -TERM -P "$pid"; kill -TERM "$pid"; }
trap ':' TERM
trap 'requeue=1; [ -n "$pid" ] && stop_task' USR1
`

// slurmWait waits for the task's wdlab, requeues the task when SIGUSR1
// asked for it, and exits with wdlab's exit code. Once wdlab runs, the
// shell ignores SIGTERM (wdlab got its own copy): a trapped one interrupts
// wait, and when wdlab ends during the trap bash may report a status of -1
// instead of wdlab's.
const slurmWait = `pid=$!
trap '' TERM # a trapped TERM would end the wait early, and bash can then lose wdlab's exit status
[ "$requeue" = 1 ] && stop_task # SIGUSR1 came before $pid was known
while :; do
	wait "$pid"
	rc=$?
	kill -0 "$pid" 2>/dev/null || break # else a trap ended the wait: wait on
done
if [ "$requeue" = 1 ]; then
	echo "time limit near: cell checkpointed, requeueing task $SLURM_ARRAY_TASK_ID" >&2
	scontrol requeue "${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID}"
fi
exit "$rc"
`

// slurmMem writes MiB as Slurm's --mem value (G when whole).
func slurmMem(mib int) string {
	if mib%1024 == 0 {
		return fmt.Sprintf("%dG", mib/1024)
	}
	return fmt.Sprintf("%dM", mib)
}

// slurmTime writes d (whole seconds) as Slurm's days-hours:minutes:seconds.
func slurmTime(d time.Duration) string {
	s := int(d / time.Second)
	return fmt.Sprintf("%d-%02d:%02d:%02d", s/86400, s/3600%24, s/60%60, s%60)
}

// jobName keeps letters, digits and ._- of a sweep name for #SBATCH lines.
func jobName(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("._-", r) {
			return r
		}
		return '_'
	}, s)
}
