package xla

import (
	"fmt"
	"math/rand/v2"
	"time"

	"wdlab/internal/nn"
	"wdlab/internal/optim"
)

// BenchResult is a timed run of training steps on one backend.
type BenchResult struct {
	SamplesPerS, StepS float64
	Device             string // the backend's description
}

// BenchWithConfig measures training throughput of desc on the backend and
// conv mode of cfg: a model initialised with seed 0, SGD with momentum 0.9
// and wd 5e-4 (cfg's optimizer and EMA are ignored), one fixed random batch
// of the given size. The first step (graph compilation) is not timed; the
// next steps are.
func BenchWithConfig(desc nn.Desc, batch, steps int, cfg Config) (BenchResult, error) {
	if batch <= 0 || steps <= 0 {
		return BenchResult{}, fmt.Errorf("xla: bench needs batch and steps > 0, got %d and %d", batch, steps)
	}
	m, err := nn.Build(desc)
	if err != nil {
		return BenchResult{}, fmt.Errorf("xla: bench: %w", err)
	}
	m.Init(0)
	e, err := NewWithConfig(desc, m.Params(), Config{Backend: cfg.Backend, Conv: cfg.Conv, Optimizer: &optim.SGD{Momentum: 0.9}})
	if err != nil {
		return BenchResult{}, err
	}
	defer e.Close()
	x := make([]float32, batch*e.inDim)
	y := make([]int32, batch)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range x {
		x[i] = float32(rng.NormFloat64())
	}
	for i := range y {
		y[i] = int32(rng.IntN(max(desc.Classes, 1)))
	}
	return timeSteps(e.Backend(), batch, steps, func() error {
		_, err := e.TrainStep(x, y, batch, 0.01, 5e-4)
		return err
	})
}

// BenchGPT measures GPT training throughput on the backend of o: a model
// of shape cfg initialised with seed 0, AdamW (lr 6e-4, WD 0.1 on the
// matrices and embeddings) with clipping at 1 unless o says otherwise, one
// fixed random batch of batch x cfg.Ctx tokens. SamplesPerS counts tokens.
func BenchGPT(cfg nn.GPTConfig, batch, steps int, o GPTOptions) (BenchResult, error) {
	if batch <= 0 || steps <= 0 {
		return BenchResult{}, fmt.Errorf("xla: bench needs batch and steps > 0, got %d and %d", batch, steps)
	}
	m, err := nn.NewGPT(cfg)
	if err != nil {
		return BenchResult{}, fmt.Errorf("xla: bench: %w", err)
	}
	m.Init(0)
	if o.Optimizer == nil {
		o.Optimizer = optim.NewAdamW()
	}
	if o.GradClip == 0 {
		o.GradClip = 1
	}
	e, err := NewGPT(cfg, m.Params(), o)
	if err != nil {
		return BenchResult{}, err
	}
	defer e.Close()
	rng := rand.New(rand.NewPCG(0, 0))
	n := batch * cfg.Ctx
	ids, tgt := make([]int32, n), make([]int32, n)
	for i := range ids {
		ids[i], tgt[i] = int32(rng.IntN(cfg.Vocab)), int32(rng.IntN(cfg.Vocab))
	}
	return timeSteps(e.Backend(), n, steps, func() error {
		_, err := e.TrainStep(ids, tgt, batch, cfg.Ctx, 6e-4, 0.1)
		return err
	})
}

// timeSteps runs step once untimed (graph compilation), then steps times,
// and reports samples (per step) per second.
func timeSteps(device string, samples, steps int, step func() error) (BenchResult, error) {
	if err := step(); err != nil {
		return BenchResult{}, err
	}
	start := time.Now()
	for range steps {
		if err := step(); err != nil {
			return BenchResult{}, err
		}
	}
	s := time.Since(start).Seconds() / float64(steps)
	return BenchResult{SamplesPerS: float64(samples) / s, StepS: s, Device: device}, nil
}
