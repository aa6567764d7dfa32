// Package train runs vision training as the paper does: SGD with weight
// decay over epochs, an EMA of the iterates with BN recalibration,
// per-epoch evaluation of the iterate and the EMA on the full train and
// test splits, run-directory files (config.yaml, metrics.jsonl,
// summary.json, checkpoints/) and bit-exact resume from checkpoints.
package train
