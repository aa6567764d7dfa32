// Package bench times full training steps (forward, backward, optimizer)
// of the paper's model families on the native engine, or on the GoMLX
// executor (ResNetGoMLX), at the shapes of the PyTorch peer benchmark
// (shared/peers/torch_bench.py), counts model FLOPs the same way the peer
// does, and reports MFU against the device's peak (peak.go).
package bench
