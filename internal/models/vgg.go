package models

import (
	"fmt"

	"wdlab/internal/nn"
)

// ImageNetMean and ImageNetStd are the per-channel (R, G, B) constants of
// the input normalisation inside the paper's VGG.
var (
	ImageNetMean = [3]float32{0.485, 0.456, 0.406}
	ImageNetStd  = [3]float32{0.229, 0.224, 0.225}
)

// vgg16Config is VGG configuration "D": channel counts, 0 = 2x2 max pool.
var vgg16Config = []int{64, 64, 0, 128, 128, 0, 256, 256, 256, 0, 512, 512, 512, 0, 512, 512, 512, 0}

// VGG16 describes VGG-16 without BN (paper, Fig. 11): 3x3 convs with bias and
// init N(0, 2/(9*out)), ReLU, 2x2 max pools, then Linear(8w,8w)+ReLU,
// Linear(8w,8w)+ReLU, Linear(8w,k). width scales all channels (64 = paper).
// Pools that would shrink the map below 1x1 are skipped and the features are
// globally averaged, so 28x28 inputs work (for 32x32 inputs this is exactly
// the paper's flatten of a 1x1x512 map). Like the paper's model, it first
// normalises its (already standardised) RGB input again with the ImageNet
// mean and std (ImageNetMean, ImageNetStd): without BN this rescaling of
// the input changes the training dynamics. Single-channel inputs have no
// such map.
func VGG16(width int, input []int, classes int) (nn.Desc, error) {
	if width <= 0 || len(input) != 3 {
		return nn.Desc{}, fmt.Errorf("vgg16: width %d, input %v", width, input)
	}
	var ops []nn.OpDesc
	if input[2] == 3 {
		ops = append(ops, nn.OpDesc{Kind: nn.OpNormalize, Name: "normalize", Mean: ImageNetMean[:], Std: ImageNetStd[:]})
	}
	h := min(input[0], input[1])
	ci := 0
	for _, v := range vgg16Config {
		if v == 0 {
			if h >= 2 {
				ops = append(ops, nn.OpDesc{Kind: nn.OpMaxPool, Name: fmt.Sprintf("pool%d", len(ops)), Kernel: 2})
				h /= 2
			}
			continue
		}
		ops = append(ops,
			nn.OpDesc{Kind: nn.OpConv, Name: fmt.Sprintf("features.%d", ci), Out: v * width / 64, Kernel: 3, Stride: 1, Pad: 1, Bias: true, Init: "normal_fan_out"},
			nn.OpDesc{Kind: nn.OpReLU})
		ci++
	}
	f := 8 * width
	ops = append(ops, nn.OpDesc{Kind: nn.OpGAP, Name: "gap"},
		nn.OpDesc{Kind: nn.OpLinear, Name: "classifier.0", Out: f, Bias: true}, nn.OpDesc{Kind: nn.OpReLU},
		nn.OpDesc{Kind: nn.OpLinear, Name: "classifier.1", Out: f, Bias: true}, nn.OpDesc{Kind: nn.OpReLU},
		nn.OpDesc{Kind: nn.OpLinear, Name: "classifier.2", Out: classes, Bias: true})
	for i := range ops {
		if ops[i].Name == "" {
			ops[i].Name = fmt.Sprintf("relu%d", i)
		}
	}
	return nn.Desc{Name: fmt.Sprintf("vgg16-w%d", width), Input: input, Classes: classes, Ops: ops}, nil
}
