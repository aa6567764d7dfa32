package xla

import (
	"testing"

	"wdlab/internal/models"
)

// Bench runs and reports a positive throughput consistent with its step time.
func TestBench(t *testing.T) {
	sps, st, err := Bench(tinyMLP(t), 16, 2, "go")
	if err != nil {
		t.Fatal(err)
	}
	if !(sps > 0 && st > 0) || sps*st < 15.99 || sps*st > 16.01 {
		t.Errorf("samples/s %v, step %v s: want positive with product 16", sps, st)
	}
	if _, _, err := Bench(tinyMLP(t), 0, 2, "go"); err == nil {
		t.Error("batch 0: no error")
	}
}

// BenchmarkResNetStep times training steps of a PreAct-ResNet (width 16,
// one block per stage, 16x16x3 inputs, batch 32) on the Go backend.
func BenchmarkResNetStep(b *testing.B) {
	d, err := models.PreActResNet(models.ResNetSpec{Blocks: []int{1, 1, 1}, Width: 16}, []int{16, 16, 3}, 10)
	if err != nil {
		b.Fatal(err)
	}
	sps, st, err := Bench(d, 32, b.N, "go")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(sps, "samples/s")
	b.ReportMetric(st*1e3, "ms/step")
}
