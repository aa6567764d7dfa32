// Package bench times full training steps (forward, backward, optimizer)
// of the paper's model families on the native engine, at the shapes of the
// PyTorch peer benchmark (shared/peers/torch_bench.py), and counts model
// FLOPs the same way the peer does.
package bench
