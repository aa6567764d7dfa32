package models

import (
	"fmt"

	"wdlab/internal/nn"
)

// ResNetSpec configures a CIFAR-style PreAct-ResNet.
type ResNetSpec struct {
	Blocks   []int // blocks per stage, e.g. [2 2 2 2] (ResNet-18), [3 4 6 3] (ResNet-34)
	Width    int   // channels of the first stage (64 in the paper); stages use w, 2w, 4w, 8w
	ScaleInv bool  // the scale-invariant variant (paper, Section 2)
}

// PreActResNet describes a PreAct-ResNet for [h, w, c] inputs and k classes.
// The head uses global average pooling, so any input size works (for 32x32
// inputs it equals the paper's 4x4 average pool). Standard model: affine BN
// (input BN included), convs without bias, Linear head with bias. Scale-
// invariant model: non-affine BN, convs with bias, a BN before each 1x1
// shortcut conv, and a frozen head, so the logits are invariant to scaling
// all trainable parameters jointly.
func PreActResNet(s ResNetSpec, input []int, classes int) (nn.Desc, error) {
	if s.Width <= 0 || len(s.Blocks) == 0 {
		return nn.Desc{}, fmt.Errorf("preact-resnet: width %d, blocks %v", s.Width, s.Blocks)
	}
	affine, bias := !s.ScaleInv, s.ScaleInv
	conv := func(name string, out, k, stride, pad int) nn.OpDesc {
		return nn.OpDesc{Kind: nn.OpConv, Name: name, Out: out, Kernel: k, Stride: stride, Pad: pad, Bias: bias, ScaleInv: true}
	}
	bn := func(name string) nn.OpDesc { return nn.OpDesc{Kind: nn.OpBN, Name: name, Affine: affine} }
	relu := nn.OpDesc{Kind: nn.OpReLU, Name: "relu"}
	ops := []nn.OpDesc{bn("bn_in"), conv("conv1", s.Width, 3, 1, 1)}
	in := s.Width
	for st, nb := range s.Blocks {
		planes := s.Width << st
		for b := 0; b < nb; b++ {
			stride := 1
			if b == 0 && st > 0 {
				stride = 2
			}
			blk := nn.OpDesc{
				Kind: nn.OpResidual, Name: fmt.Sprintf("layer%d.%d", st+1, b),
				Pre:  []nn.OpDesc{bn("bn1"), relu},
				Body: []nn.OpDesc{conv("conv1", planes, 3, stride, 1), bn("bn2"), {Kind: nn.OpReLU, Name: "relu2"}, conv("conv2", planes, 3, 1, 1)},
			}
			if stride != 1 || in != planes {
				if s.ScaleInv {
					blk.Shortcut = append(blk.Shortcut, nn.OpDesc{Kind: nn.OpBN, Name: "shortcut_bn"})
				}
				blk.Shortcut = append(blk.Shortcut, conv("shortcut", planes, 1, stride, 0))
			}
			ops = append(ops, blk)
			in = planes
		}
	}
	ops = append(ops, bn("bn_out"), relu,
		nn.OpDesc{Kind: nn.OpGAP, Name: "pool"},
		nn.OpDesc{Kind: nn.OpLinear, Name: "linear", Out: classes, Bias: true, Frozen: s.ScaleInv})
	name := fmt.Sprintf("preact-resnet%v-w%d", s.Blocks, s.Width)
	if s.ScaleInv {
		name += "-si"
	}
	return nn.Desc{Name: name, Input: input, Classes: classes, Ops: ops}, nil
}
