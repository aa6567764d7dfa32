package sweep

import (
	"fmt"
	"path/filepath"
	"strings"
)

// SlurmScript returns a bash Slurm array script for the sweep whose output
// directory is out (absolute): one array task per cell, task I running
// `wdlab sweep -c SWEEP --out OUT --index I`, at most opt.Workers at once
// when set. Comments list the index -> cell mapping.
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
	var b strings.Builder
	fmt.Fprintf(&b, "#!/bin/bash\n")
	fmt.Fprintf(&b, "#SBATCH --job-name=%s\n", jobName(sw.Name))
	fmt.Fprintf(&b, "#SBATCH --array=%s\n", array)
	fmt.Fprintf(&b, "#SBATCH --output=%s\n", filepath.Join(out, LogsDir, "slurm-%A_%a.out"))
	fmt.Fprintf(&b, "#\n# wdlab sweep %q: %d cells, one array task per cell.\n", sw.Name, n)
	fmt.Fprintf(&b, "# Submit with: sbatch %s\n", filepath.Join(out, SlurmFile))
	fmt.Fprintf(&b, "# Task index -> cell directory (also in %s):\n", filepath.Join(out, CellsFile))
	for _, c := range sw.Cells() {
		fmt.Fprintf(&b, "#   %d -> %s/%s\n", c.Index, CellsDir, c.Name())
	}
	b.WriteString("set -euo pipefail\n")
	fmt.Fprintf(&b, "WDLAB=\"${WDLAB:-%s}\"\n", exe)
	extra := ""
	for _, a := range opt.Extra {
		extra += " " + ShellQuote(a)
	}
	fmt.Fprintf(&b, "exec \"$WDLAB\" sweep -c %s --out %s --index \"$SLURM_ARRAY_TASK_ID\"%s\n",
		ShellQuote(sw.Path), ShellQuote(out), extra)
	return []byte(b.String())
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
