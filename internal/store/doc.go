// Package store owns runs.db, the SQLite run store under an output root:
// one row per run directory (name, experiment, sweep cell, status, config,
// times, attempts) and its metrics, one row per metric per evaluation
// point. It exports runs as CSV.
//
// The run directories are the source of truth; the store is an index of
// them that can always be rebuilt. A local sweep registers and finishes
// its runs directly (one process, WAL mode, a busy timeout for readers
// alongside). Cluster array tasks never open the store: on a network
// filesystem SQLite's locks cannot be trusted and WAL does not work. They
// write only their run directory, attempts.jsonl included (the sweep, cell
// and start of each attempt), and Sync brings the store up to date from
// the directories, reading only those whose files changed. On a network
// filesystem the store itself uses SQLite's rollback journal instead of WAL.
package store
