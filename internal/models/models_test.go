package models

import (
	"math"
	"math/rand/v2"
	"testing"

	"wdlab/internal/nn"
)

func randInput(seed uint64, shape ...int) *nn.Tensor {
	rng := rand.New(rand.NewPCG(seed, 1))
	x := nn.NewTensor(shape...)
	for i := range x.Data {
		x.Data[i] = float32(rng.NormFloat64())
	}
	return x
}

func build(t *testing.T, d nn.Desc, err error) *nn.Model {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
	m, err := nn.Build(d)
	if err != nil {
		t.Fatal(err)
	}
	m.Init(3)
	return m
}

func TestParameterCounts(t *testing.T) {
	// The common CIFAR PreAct-ResNet-18 (width 64, 10 classes, no head BN)
	// has 11,171,146 parameters; the paper's repo adds an input BN (6) and
	// the head's BN before the pool (1,024): 11,172,176.
	d, err := PreActResNet(ResNetSpec{Blocks: []int{2, 2, 2, 2}, Width: 64}, []int{32, 32, 3}, 10)
	if got := build(t, d, err).NumParams(); got != 11172176 {
		t.Errorf("preact-resnet18 params = %d, want 11172176", got)
	}
	// VGG-16 (D): convs 14,714,688 plus linears 262,656 + 262,656 + 5,130.
	d, err = VGG16(64, []int{32, 32, 3}, 10)
	if got := build(t, d, err).NumParams(); got != 15245130 {
		t.Errorf("vgg16 params = %d, want 15245130", got)
	}
	d, err = BNMLP([]int{256, 256}, []int{28, 28, 1}, 10)
	want := 784*256 + 2*256 + 256*256 + 2*256 + 256*10 + 10
	if got := build(t, d, err).NumParams(); got != want {
		t.Errorf("bn-mlp params = %d, want %d", got, want)
	}
}

// The scale-invariant ResNet's logits do not change when all trainable
// parameters are multiplied by c, and its gradient is orthogonal to w.
func TestScaleInvariantResNet(t *testing.T) {
	d, err := PreActResNet(ResNetSpec{Blocks: []int{1, 1}, Width: 4, ScaleInv: true}, []int{8, 8, 3}, 5)
	m := build(t, d, err)
	x := randInput(5, 6, 8, 8, 3)
	base := append([]float32(nil), m.Forward(x, nn.Train).Data...)
	for _, p := range m.Params() {
		if p.Trainable() {
			for i := range p.W {
				p.W[i] *= 3.7
			}
		}
	}
	scaled := m.Forward(x, nn.Train).Data
	for i := range base {
		if math.Abs(float64(base[i]-scaled[i])) > 1e-3*math.Max(1, math.Abs(float64(base[i]))) {
			t.Fatalf("logit %d: %v before scaling, %v after", i, base[i], scaled[i])
		}
	}
	labels := []int32{0, 1, 2, 3, 4, 0}
	m.ZeroGrad()
	_, _, g := nn.SoftmaxCE(m.Forward(x, nn.Train), labels, nil)
	m.Backward(g)
	var dot, gn, wn float64
	for _, p := range m.Params() {
		if !p.Trainable() {
			continue
		}
		for i := range p.W {
			dot += float64(p.W[i]) * float64(p.G[i])
			gn += float64(p.G[i]) * float64(p.G[i])
			wn += float64(p.W[i]) * float64(p.W[i])
		}
	}
	if cos := dot / math.Sqrt(gn*wn); math.Abs(cos) > 1e-3 {
		t.Fatalf("cos(grad, w) = %.2e, want ~0", cos)
	}
	for _, p := range m.Params() {
		if p.Name == "linear.weight" && (!p.Frozen || p.Decay) {
			t.Fatalf("head must be frozen and undecayed: %+v", p)
		}
	}
}

// The standard ResNet is not scale-invariant (sanity check of the test above).
func TestStandardResNetIsNotScaleInvariant(t *testing.T) {
	d, err := PreActResNet(ResNetSpec{Blocks: []int{1, 1}, Width: 4}, []int{8, 8, 3}, 5)
	m := build(t, d, err)
	x := randInput(5, 6, 8, 8, 3)
	base := append([]float32(nil), m.Forward(x, nn.Train).Data...)
	for _, p := range m.Params() {
		if p.Trainable() {
			for i := range p.W {
				p.W[i] *= 3.7
			}
		}
	}
	var diff float64
	for i, v := range m.Forward(x, nn.Train).Data {
		diff = math.Max(diff, math.Abs(float64(v-base[i])))
	}
	if diff < 1e-2 {
		t.Fatalf("standard ResNet logits unchanged by scaling (max diff %g)", diff)
	}
}

func TestModelsRunOnFashionShapes(t *testing.T) {
	for _, mk := range []func() (nn.Desc, error){
		func() (nn.Desc, error) {
			return PreActResNet(ResNetSpec{Blocks: []int{1, 1, 1, 1}, Width: 4}, []int{28, 28, 1}, 10)
		},
		func() (nn.Desc, error) { return VGG16(8, []int{28, 28, 1}, 10) },
		func() (nn.Desc, error) { return BNMLP([]int{16}, []int{28, 28, 1}, 10) },
	} {
		d, err := mk()
		m := build(t, d, err)
		out := m.Forward(randInput(1, 2, 28, 28, 1), nn.Train)
		if out.Shape[0] != 2 || out.Shape[1] != 10 {
			t.Fatalf("%s: output shape %v", d.Name, out.Shape)
		}
	}
}

// Tiny-ImageNet shapes (64x64x3, 200 classes): the global-average-pool head
// gives 8w features whatever the input size, so ResNet-18 has
// the CIFAR count with a 200-way instead of a 10-way Linear.
func TestPreActResNetOnTinyImageNetShapes(t *testing.T) {
	d, err := PreActResNet(ResNetSpec{Blocks: []int{2, 2, 2, 2}, Width: 64}, []int{64, 64, 3}, 200)
	want := 11172176 - (512*10 + 10) + (512*200 + 200)
	if got := build(t, d, err).NumParams(); got != want {
		t.Errorf("preact-resnet18 on 64x64, 200 classes: params = %d, want %d", got, want)
	}
	d, err = PreActResNet(ResNetSpec{Blocks: []int{1, 1, 1, 1}, Width: 4}, []int{64, 64, 3}, 200)
	m := build(t, d, err)
	if op := d.Ops[len(d.Ops)-2]; op.Kind != nn.OpGAP {
		t.Fatalf("head pool is %q, want global average pooling", op.Kind)
	}
	out := m.Forward(randInput(2, 2, 64, 64, 3), nn.Train)
	if out.Shape[0] != 2 || out.Shape[1] != 200 {
		t.Fatalf("output shape %v, want [2 200]", out.Shape)
	}
}

// VGG-16 on RGB input first maps each channel c to (x - ImageNetMean[c]) /
// ImageNetStd[c], as the paper's model does: its logits equal those of the
// same network without that map fed the mapped input by hand.
func TestVGGNormalisesRGBInput(t *testing.T) {
	d, err := VGG16(4, []int{8, 8, 3}, 5)
	m := build(t, d, err)
	if d.Ops[0].Kind != nn.OpNormalize {
		t.Fatalf("first op %q, want %q", d.Ops[0].Kind, nn.OpNormalize)
	}
	plain := d
	plain.Ops = d.Ops[1:]
	m2 := build(t, plain, nil) // the same parameter names and init seed
	x := randInput(7, 2, 8, 8, 3)
	mapped := nn.NewTensor(x.Shape...)
	for i, v := range x.Data {
		c := i % 3
		mapped.Data[i] = float32((float64(v) - float64(ImageNetMean[c])) / float64(ImageNetStd[c]))
	}
	got, want := m.Forward(x, nn.Eval).Data, m2.Forward(mapped, nn.Eval).Data
	for i := range want {
		if math.Abs(float64(got[i]-want[i])) > 1e-5*(1+math.Abs(float64(want[i]))) {
			t.Fatalf("logit %d: %v with the in-model map, %v by hand", i, got[i], want[i])
		}
	}
	if d1, _ := VGG16(4, []int{8, 8, 1}, 5); d1.Ops[0].Kind == nn.OpNormalize {
		t.Error("a single-channel VGG normalises with RGB constants")
	}
}
