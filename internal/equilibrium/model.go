package equilibrium

import (
	"fmt"

	"wdlab/internal/nn"
)

// SIMLP describes a scale-invariant BN-MLP for [h, w, c] inputs: flatten,
// then per hidden width a Linear without bias (scale-invariant group) -> BN without affine
// parameters -> ReLU, and a frozen Linear head with bias. Every trainable
// weight feeds a BN, so the logits are invariant to scaling each hidden
// layer, and the gradient of each layer is orthogonal to its weights.
func SIMLP(input []int, hidden []int, classes int) (nn.Desc, error) {
	if len(input) != 3 || len(hidden) == 0 || classes < 1 {
		return nn.Desc{}, fmt.Errorf("si-mlp: input %v, hidden %v, classes %d", input, hidden, classes)
	}
	ops := []nn.OpDesc{{Kind: nn.OpFlatten, Name: "flatten"}}
	for i, h := range hidden {
		ops = append(ops,
			nn.OpDesc{Kind: nn.OpLinear, Name: fmt.Sprintf("fc%d", i+1), Out: h, ScaleInv: true},
			nn.OpDesc{Kind: nn.OpBN, Name: fmt.Sprintf("bn%d", i+1)},
			nn.OpDesc{Kind: nn.OpReLU, Name: fmt.Sprintf("relu%d", i+1)})
	}
	ops = append(ops, nn.OpDesc{Kind: nn.OpLinear, Name: "head", Out: classes, Bias: true, Frozen: true})
	return nn.Desc{Name: fmt.Sprintf("si-mlp%v-%dx%dx%d", hidden, input[0], input[1], input[2]), Input: input, Classes: classes, Ops: ops}, nil
}
