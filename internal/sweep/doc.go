// Package sweep owns hyper-parameter sweeps: the strict sweep file (a base
// training config, fixed overrides and a grid), its expansion into
// index-addressed cells, the output layout (sweep.yaml, cells.json,
// cells/NNNN-key=value,.../, logs/), a local worker pool that runs cells as
// `wdlab train` subprocesses, resumes killed sweeps and records every cell
// in the run store, and the Slurm array and Kubernetes Indexed Job files
// (with the resources each task asks for) that run the same cells on a
// cluster, one index per task; cluster tasks write only their cell's run
// directory, never the store.
package sweep
