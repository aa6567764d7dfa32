package nn

// Desc describes a model as data: its input shape, the number of outputs and
// a tree of operations. Presets in package models build Descs; executors
// (the native engine here, the GoMLX executor in package xla) turn them into
// runnable models. A Desc fully determines parameter names and shapes.
type Desc struct {
	Name    string   `json:"name" yaml:"name"`
	Input   []int    `json:"input" yaml:"input"` // [H, W, C] for images, [D] for vectors
	Classes int      `json:"classes" yaml:"classes"`
	Ops     []OpDesc `json:"ops" yaml:"ops"`
}

// Op kinds understood by the native engine.
const (
	OpConv     = "conv"     // Out, Kernel, Stride, Pad, Bias
	OpBN       = "bn"       // Affine
	OpReLU     = "relu"     //
	OpLinear   = "linear"   // Out, Bias, Frozen
	OpAvgPool  = "avgpool"  // Kernel (= stride)
	OpMaxPool  = "maxpool"  // Kernel (= stride)
	OpGAP      = "gap"      // global average pooling to [N, C]
	OpFlatten  = "flatten"  // [N, H, W, C] -> [N, H*W*C]
	OpResidual = "residual" // out = Body(Pre(x)) + (Shortcut(Pre(x)) or x)
)

// OpNormalize is a fixed per-channel input map (x - Mean[c]) / Std[c].
const OpNormalize = "normalize"

// OpDesc is one node of a model description. Fields that do not apply to
// the Kind are zero.
type OpDesc struct {
	Kind   string `json:"kind" yaml:"kind"`
	Name   string `json:"name,omitempty" yaml:"name,omitempty"`
	Out    int    `json:"out,omitempty" yaml:"out,omitempty"`
	Kernel int    `json:"kernel,omitempty" yaml:"kernel,omitempty"`
	Stride int    `json:"stride,omitempty" yaml:"stride,omitempty"`
	Pad    int    `json:"pad,omitempty" yaml:"pad,omitempty"`
	Bias   bool   `json:"bias,omitempty" yaml:"bias,omitempty"`
	Affine bool   `json:"affine,omitempty" yaml:"affine,omitempty"`
	Frozen bool   `json:"frozen,omitempty" yaml:"frozen,omitempty"`
	// Init names the weight initialisation: "" = PyTorch default
	// (Kaiming-uniform a=sqrt(5), uniform bias); "normal_fan_out" =
	// N(0, 2/(k*k*out)) with zero bias (VGG convs).
	Init string `json:"init,omitempty" yaml:"init,omitempty"`
	// Mean and Std are OpNormalize's per-channel constants.
	Mean []float32 `json:"mean,omitempty" yaml:"mean,omitempty"`
	Std  []float32 `json:"std,omitempty" yaml:"std,omitempty"`
	// ScaleInv marks the op's weights as members of the scale-invariant group.
	ScaleInv bool `json:"scale_inv,omitempty" yaml:"scale_inv,omitempty"`
	// Residual parts.
	Pre      []OpDesc `json:"pre,omitempty" yaml:"pre,omitempty"`
	Body     []OpDesc `json:"body,omitempty" yaml:"body,omitempty"`
	Shortcut []OpDesc `json:"shortcut,omitempty" yaml:"shortcut,omitempty"`
}
