package models

import (
	"fmt"

	"wdlab/internal/nn"
)

// BNMLP describes a BN-MLP: flatten, then for each hidden width a
// Linear (no bias) -> BN (affine) -> ReLU, and a Linear head with bias
// (e.g. 784-256-256-10). The hidden weights feed BN and form the
// scale-invariant group.
func BNMLP(hidden []int, input []int, classes int) (nn.Desc, error) {
	if len(hidden) == 0 {
		return nn.Desc{}, fmt.Errorf("bn-mlp: no hidden layers")
	}
	ops := []nn.OpDesc{{Kind: nn.OpFlatten, Name: "flatten"}}
	for i, h := range hidden {
		ops = append(ops,
			nn.OpDesc{Kind: nn.OpLinear, Name: fmt.Sprintf("fc%d", i+1), Out: h, ScaleInv: true},
			nn.OpDesc{Kind: nn.OpBN, Name: fmt.Sprintf("bn%d", i+1), Affine: true},
			nn.OpDesc{Kind: nn.OpReLU, Name: fmt.Sprintf("relu%d", i+1)})
	}
	ops = append(ops, nn.OpDesc{Kind: nn.OpLinear, Name: "head", Out: classes, Bias: true})
	return nn.Desc{Name: fmt.Sprintf("bn-mlp%v", hidden), Input: input, Classes: classes, Ops: ops}, nil
}
