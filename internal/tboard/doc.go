// Package tboard writes TensorBoard event files natively: TFRecord framing
// with masked CRC32C checksums around hand-encoded protobuf Event messages
// holding scalar summaries. ExportRun turns a run's metrics.jsonl into
// events under RUNDIR/tb/ so that `tensorboard --logdir` can show it.
package tboard
