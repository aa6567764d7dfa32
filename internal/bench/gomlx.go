package bench

import (
	"errors"
	"fmt"

	"wdlab/internal/nn"
	"wdlab/internal/xla"
)

// ResNetGoMLX times the PreAct-ResNet of ResNet on the GoMLX executor
// (xla.BenchWithConfig: SGD with momentum 0.9, im2col convolutions, fp32)
// on backend ("go", "go:<config>" or "xla:/abs/plugin.so[,options]"). Its
// FLOPs per step are counted exactly as ResNet counts them, so the GFLOP/s
// of both executors compare. The executor always runs one untimed step
// (graph compilation) before o.Iters timed ones; o.Warmup is not used.
// The peak is BackendPeak of the backend's description.
func ResNetGoMLX(o ResNetOptions, backend string) (Result, error) {
	d, err := resnetDesc(o)
	if err != nil {
		return Result{}, err
	}
	flops, params, err := resnetTrainFLOPs(d, o.Batch)
	if err != nil {
		return Result{}, err
	}
	_, stepS, err := xla.BenchWithConfig(d, o.Batch, o.Iters, xla.Config{Backend: backend, Conv: xla.ConvIm2col})
	if err != nil {
		return Result{}, err
	}
	r := Result{Bench: "resnet", Executor: "gomlx", Backend: backend, Batch: o.Batch, Params: params}
	r.finish(stepS, flops, o.Batch)
	desc, err := backendDescription(d, backend)
	if err != nil {
		return Result{}, err
	}
	r.SetPeak(BackendPeak(desc, HostCPUPeak()))
	return r, nil
}

// GPTGoMLX is the GoMLX executor's GPT benchmark. It is not available yet
// (it will time xla.BenchGPT); it always returns an error.
func GPTGoMLX(o GPTOptions, backend string) (Result, error) {
	return Result{}, errors.New("gpt on the GoMLX executor is not available yet; use --executor native")
}

// backendDescription opens backend once more through an executor for d
// (nothing is compiled) and returns the backend's Description(), since
// xla.BenchWithConfig does not report it.
func backendDescription(d nn.Desc, backend string) (string, error) {
	m, err := nn.Build(d)
	if err != nil {
		return "", err
	}
	m.Init(0)
	e, err := xla.New(d, m.Params(), backend)
	if err != nil {
		return "", fmt.Errorf("describing backend %q: %w", backend, err)
	}
	defer e.Close()
	return e.Backend(), nil
}
