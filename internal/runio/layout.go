package runio

// Names of the files and folders in a run directory (README.md, "Run
// directory").
const (
	ConfigFile    = "config.yaml"   // fully resolved training config
	MetricsFile   = "metrics.jsonl" // one JSON object per evaluation point
	SummaryFile   = "summary.json"  // status, final and best values, wall time
	CheckpointDir = "checkpoints"   // safetensors + optimizer state
	// CheckpointFile is the latest checkpoint in CheckpointDir.
	CheckpointFile = "last.safetensors"
)

// Run statuses written to summary.json (Pending only exists in the store).
const (
	StatusPending   = "pending"
	StatusRunning   = "running"
	StatusCompleted = "completed"
	StatusDiverged  = "diverged"
	StatusFailed    = "failed"
	// StatusInterrupted: stopped on request (SIGINT/SIGTERM) after saving a
	// checkpoint at its last step; --resume continues it exactly.
	StatusInterrupted = "interrupted"
)

// Terminal reports whether a run with this status is finished for good:
// completed and diverged runs are outcomes, rerunning them repeats them.
func Terminal(status string) bool {
	return status == StatusCompleted || status == StatusDiverged
}
