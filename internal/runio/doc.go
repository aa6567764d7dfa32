// Package runio owns the on-disk run directory of wdlab: crash-safe writes
// (atomic file replacement, fsynced appends) and the readers for the files a
// run leaves behind (config.yaml, metrics.jsonl, summary.json), shared by the
// run store, the sweep driver, the TensorBoard exporter and the report.
package runio
