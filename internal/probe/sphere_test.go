package probe

import (
	"math"
	"testing"

	"wdlab/internal/nn"
	"wdlab/internal/optim"
	"wdlab/internal/train"
)

// Projection puts the trainable parameters on the sphere, leaves frozen
// weights and buffers alone and, for a scale-invariant net (BN without
// affine parameters, frozen head), leaves train-mode logits unchanged (up
// to BN eps, negligible at these radii).
func TestProjectToSphereKeepsNormAndFunction(t *testing.T) {
	m := build(t, []int{6}, 3,
		nn.OpDesc{Kind: nn.OpLinear, Name: "fc", Out: 8, ScaleInv: true},
		nn.OpDesc{Kind: nn.OpBN, Name: "bn"},
		nn.OpDesc{Kind: nn.OpReLU, Name: "relu"},
		nn.OpDesc{Kind: nn.OpLinear, Name: "head", Out: 3, Bias: true, Frozen: true})
	ds := vectors(16, 6, 3, 4)
	x := &nn.Tensor{Shape: []int{16, 6}, Data: ds.X}
	before := append([]float32(nil), m.Forward(x, nn.Train).Data...)
	head := append([]float32(nil), m.Param("head.weight").W...)
	for _, r := range []float64{2, 6} {
		train.ProjectToSphere(m.Params(), r)
		if got := optim.ParamNorm(m.Params(), func(p *nn.Param) bool { return p.Trainable() }); math.Abs(got-r) > 1e-5*r {
			t.Errorf("radius %v: trainable norm %v", r, got)
		}
		after := m.Forward(x, nn.Train).Data
		for i, v := range before {
			if math.Abs(float64(after[i]-v)) > 1e-4 {
				t.Fatalf("radius %v: logit %d changed from %v to %v", r, i, v, after[i])
			}
		}
	}
	for i, w := range m.Param("head.weight").W {
		if w != head[i] {
			t.Fatalf("frozen head changed at %d", i)
		}
	}
}
