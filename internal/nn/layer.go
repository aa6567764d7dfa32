package nn

// Mode selects how layers behave in a forward pass.
type Mode int

const (
	// Train uses batch statistics in BN and updates running statistics with momentum 0.1.
	Train Mode = iota
	// Eval uses BN running statistics; each example's output depends only on itself.
	Eval
	// Recalibrate behaves like Train but makes BN running statistics the exact
	// sample-weighted average of the batch statistics seen since BatchNorm.ResetStats
	// (PyTorch bn_update with momentum b/(n+b)).
	Recalibrate
)

// Layer is one executable node of a model. Forward caches what Backward
// needs; Backward takes dL/dy, accumulates parameter gradients into Param.G
// and returns dL/dx. Returned tensors are owned by the layer and stay valid
// until its next Forward/Backward call.
type Layer interface {
	Forward(x *Tensor, mode Mode) *Tensor
	Backward(dy *Tensor) *Tensor
	// Params returns the layer's parameters and buffers, in a fixed order.
	Params() []*Param
}
