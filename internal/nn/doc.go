// Package nn is wdlab's native CPU engine: model descriptions (Desc, a tree
// of OpDesc values naming every layer and parameter), and their execution
// with explicit forward and backward passes per layer type in NHWC layout.
// Parameters and gradients are flat []float32 slices with names, so
// optimizers, EMA and probes are plain Go over slices.
package nn
