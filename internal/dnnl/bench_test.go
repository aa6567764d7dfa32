//go:build cgo && linux && amd64 && dnnl

package dnnl

import (
	"testing"

	"wdlab/internal/models"
	"wdlab/internal/nn/nntest"
)

// benchStep times the executor's forward and backward pass (no optimizer)
// on a PreAct-ResNet at batch 128.
func benchStep(b *testing.B, width int, blocks, input []int) {
	d, err := models.PreActResNet(models.ResNetSpec{Blocks: blocks, Width: width}, input, 10)
	if err != nil {
		b.Fatal(err)
	}
	m := nntest.Model(b, d, 1)
	x, y := nntest.Batch(d, 128, 1)
	e, err := New(m)
	if err != nil {
		b.Fatal(err)
	}
	defer e.Close()
	for b.Loop() {
		m.ZeroGrad()
		if _, err := e.Step(x, y, 128); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkStepTiny is the tiny preset's model: width 8, one block per
// stage, 28x28x1.
func BenchmarkStepTiny(b *testing.B) { benchStep(b, 8, []int{1, 1, 1, 1}, []int{28, 28, 1}) }

// BenchmarkStepW16 is PreAct-ResNet-18 at width 16 on 32x32x3.
func BenchmarkStepW16(b *testing.B) { benchStep(b, 16, []int{2, 2, 2, 2}, []int{32, 32, 3}) }
