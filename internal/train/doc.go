// Package train runs the paper's two regimes. Vision runs (Run): SGD with
// weight decay over epochs, an EMA of the iterates with BN recalibration,
// per-epoch evaluation of the iterate and the EMA on the full train and
// test splits, and the instruments of package probe as hooks. LM runs
// (RunLM): AdamW over optimizer steps on a token stream, warm-up + cosine,
// gradient clipping and accumulation, periodic validation, optional
// effective-LR matching. Both write the same run-directory files
// (config.yaml, metrics.jsonl, summary.json, checkpoints/), resume bit for
// bit from checkpoints, and can hand their steps to another executor
// (Options.Executors).
package train
