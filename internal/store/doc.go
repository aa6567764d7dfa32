// Package store owns runs.db, the SQLite run store under an output root:
// one row per run directory (name, experiment, sweep cell, status, config,
// times, attempts) and its metrics, one row per metric per evaluation
// point. It uses WAL mode and a busy timeout so that several worker
// processes of a sweep can write to it at once, and exports runs as CSV.
package store
