package xla

import (
	"math"
	"testing"

	"wdlab/internal/models"
)

// BenchWithConfig runs and reports a positive throughput consistent with its step time.
func TestBench(t *testing.T) {
	r, err := BenchWithConfig(tinyMLP(t), 16, 2, Config{Backend: "go", Conv: ConvIm2col})
	if err != nil {
		t.Fatal(err)
	}
	if !(r.SamplesPerS > 0 && r.StepS > 0) || r.SamplesPerS*r.StepS < 15.99 || r.SamplesPerS*r.StepS > 16.01 || r.Device == "" {
		t.Errorf("bench %+v: want positive samples/s and step time with product 16 and a device", r)
	}
	g, err := BenchGPT(tinyGPTConfig, 2, 1, GPTOptions{Backend: "go"})
	if err != nil {
		t.Fatal(err)
	}
	if n := 2.0 * float64(tinyGPTConfig.Ctx); !(g.StepS > 0) || math.Abs(g.SamplesPerS*g.StepS-n) > 1e-6*n {
		t.Errorf("GPT bench %+v: want %v tokens per step", g, n)
	}
	if _, err := BenchWithConfig(tinyMLP(t), 0, 2, Config{Backend: "go", Conv: ConvIm2col}); err == nil {
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
	r, err := BenchWithConfig(d, 32, b.N, Config{Backend: "go", Conv: ConvIm2col})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(r.SamplesPerS, "samples/s")
	b.ReportMetric(r.StepS*1e3, "ms/step")
}
