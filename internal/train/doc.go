// Package train runs the paper's training regimes on one loop (Loop, see
// docs/training.md): vision runs (SGD with weight decay over epochs or an
// exact step budget, an EMA of the iterates with BN recalibration,
// evaluation of the iterate and the EMA on the full train and test splits,
// probe hooks) and GPT runs (AdamW-family optimizers over a step budget,
// evaluations every eval_every steps). Both write run directories
// (config.yaml, metrics.jsonl, summary.json, checkpoints/), resume bit for
// bit from any step, and may hand their steps to the Accelerator of
// another executor (Options.Executors).
package train
