package torchio

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"wdlab/internal/ckpt"
	"wdlab/internal/models"
	"wdlab/internal/nn"
)

func equalBits(a, b []float32) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.Float32bits(a[i]) != math.Float32bits(b[i]) {
			return false
		}
	}
	return true
}

// model builds a small PreAct-ResNet (convs with and without shortcut,
// BN with running statistics, a linear head) with weights from seed and
// random running statistics.
func model(t *testing.T, seed uint64) *nn.Model {
	t.Helper()
	d, err := models.PreActResNet(models.ResNetSpec{Blocks: []int{1, 1}, Width: 4}, []int{8, 8, 3}, 5)
	must(t, err)
	m, err := nn.Build(d)
	must(t, err)
	m.Init(seed)
	rng := rand.New(rand.NewPCG(seed, 9))
	for _, p := range m.Params() {
		if p.Buffer {
			for i := range p.W {
				p.W[i] = rng.Float32() + 0.5
			}
		}
	}
	return m
}

func weights(m *nn.Model) map[string]ckpt.Tensor {
	out := map[string]ckpt.Tensor{}
	for _, p := range m.Params() {
		out[p.Name] = ckpt.Tensor{Shape: p.Shape, Data: p.W}
	}
	return out
}

// Export, encode, decode and import into a model with other weights gives
// back every parameter and buffer bit for bit.
func TestRoundTripBitIdentical(t *testing.T) {
	src, dst := model(t, 1), model(t, 2)
	f, err := Export(weights(src), map[string]string{"arch": "preact-resnet"})
	must(t, err)
	raw, err := ckpt.Encode(f)
	must(t, err)
	back, err := ckpt.Decode(raw)
	must(t, err)
	if back.Metadata["format"] != "pt" || back.Tensors["conv1.weight"].Shape[0] != 4 || back.Tensors["conv1.weight"].Shape[1] != 3 {
		t.Fatalf("metadata %v, conv1.weight %v", back.Metadata, back.Tensors["conv1.weight"].Shape)
	}
	back.Tensors["bn_in.num_batches_tracked"] = ckpt.Tensor{Shape: []int{}, Data: []float32{7}} // ignored
	must(t, Import(back, dst.Params()))
	for i, p := range src.Params() {
		if q := dst.Params()[i]; !equalBits(p.W, q.W) {
			t.Fatalf("%s differs after the round trip", p.Name)
		}
	}
}

func TestImportRejectsOtherModels(t *testing.T) {
	src := model(t, 1)
	for name, edit := range map[string]func(f ckpt.File){
		"missing":       func(f ckpt.File) { delete(f.Tensors, "linear.bias") },
		"has shape":     func(f ckpt.File) { f.Tensors["linear.weight"] = ckpt.Tensor{Shape: []int{4, 5}, Data: iota(20)} },
		"not a param":   func(f ckpt.File) { f.Tensors["fc.weight"] = ckpt.Tensor{Shape: []int{1}, Data: iota(1)} },
		"no PyTorch co": func(f ckpt.File) { f.Tensors["conv1.weight"] = ckpt.Tensor{Shape: []int{2, 2, 2}, Data: iota(8)} },
	} {
		f, err := Export(weights(src), nil)
		must(t, err)
		edit(f)
		if err := Import(f, model(t, 2).Params()); err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("%s: got %v", name, err)
		}
	}
}
