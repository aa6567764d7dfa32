// Package xla is the GoMLX executor: it runs the models that package nn
// describes (nn.Desc) as GoMLX graphs, on GoMLX's pure-Go backend ("go",
// for CPU tests) or on XLA through a PJRT plugin ("xla:/abs/plugin.so",
// for the H200). Parameters, BN running statistics, optimizer state and
// the EMA of the weights live in device tensors; one compiled graph does
// forward, softmax cross-entropy, backward, BN running-statistic update,
// the SGD (coupled or decoupled WD, momentum, Nesterov) or AdamW update and
// the EMA update.
//
// The graphs follow the native engine's semantics exactly (PyTorch BN with
// the gradient through the batch statistics, momentum 0.1, eps 1e-5; the
// optimizers' float32 operation order), so the two executors can be
// cross-checked and checkpoints move between them through the native
// model's parameters (ReadParams / WriteParams) and the optim state maps
// (OptimizerState / EMAState).
package xla
