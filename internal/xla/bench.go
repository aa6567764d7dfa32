package xla

import (
	"fmt"
	"math/rand/v2"
	"time"

	"wdlab/internal/nn"
	"wdlab/internal/optim"
)

// Bench measures training throughput of desc on backend: a model
// initialised with seed 0, SGD with momentum 0.9 and wd 5e-4, one fixed
// random batch of the given size. The first step (graph compilation) is
// not timed; the next steps are. It returns samples per second and
// seconds per step.
func Bench(desc nn.Desc, batch, steps int, backend string) (samplesPerS, stepS float64, err error) {
	return BenchWithConfig(desc, batch, steps, Config{Backend: backend, Conv: ConvIm2col})
}

// BenchWithConfig is Bench with the backend and conv mode of cfg; its
// optimizer and EMA are ignored (SGD with momentum 0.9 is timed).
func BenchWithConfig(desc nn.Desc, batch, steps int, cfg Config) (samplesPerS, stepS float64, err error) {
	if batch <= 0 || steps <= 0 {
		return 0, 0, fmt.Errorf("xla: bench needs batch and steps > 0, got %d and %d", batch, steps)
	}
	m, err := nn.Build(desc)
	if err != nil {
		return 0, 0, fmt.Errorf("xla: bench: %w", err)
	}
	m.Init(0)
	e, err := NewWithConfig(desc, m.Params(), Config{Backend: cfg.Backend, Conv: cfg.Conv, Optimizer: &optim.SGD{Momentum: 0.9}})
	if err != nil {
		return 0, 0, err
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
	if _, err := e.TrainStep(x, y, batch, 0.01, 5e-4); err != nil {
		return 0, 0, err
	}
	start := time.Now()
	for range steps {
		if _, err := e.TrainStep(x, y, batch, 0.01, 5e-4); err != nil {
			return 0, 0, err
		}
	}
	stepS = time.Since(start).Seconds() / float64(steps)
	return float64(batch) / stepS, stepS, nil
}
