// Package optim owns wdlab's parameter-update math on flat float32 slices:
// the optimizers (SGD with coupled or decoupled weight decay and optional
// (Nesterov) momentum, PyTorch AdamW, Adam with an L2 penalty), global-norm
// gradient clipping, learning-rate schedules (constant, one step drop,
// warm-up + cosine, piecewise-constant table), the weight EMA, and the small
// norm helpers the instruments need (parameter norm, angular update,
// effective-LR matching).
//
// Per-element arithmetic is float32 like PyTorch. Every product that feeds a
// sum is rounded explicitly (float32(a*b)) so the compiler can never fuse it
// into an FMA: results are identical on every GOAMD64 level, and the formula
// order documented on each Step is the order actually evaluated. Scalars
// derived from the hyper-parameters (1-lr*wd, bias corrections, step sizes)
// are computed in float64 and rounded once to float32, as PyTorch does with
// Python floats. Reductions (norms, means) accumulate in float64.
//
// Optimizer state is a map from "<kind>/<param name>" to a float32 slice plus
// the key "step" (see EncodeStep), so checkpoints can store it as named
// tensors. Use Restore to load a checkpointed state with validation against
// the model's parameters.
package optim
