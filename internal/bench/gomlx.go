package bench

import (
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
	b, err := xla.BenchWithConfig(d, o.Batch, o.Iters, xla.Config{Backend: backend, Conv: xla.ConvIm2col})
	if err != nil {
		return Result{}, err
	}
	r := Result{Bench: "resnet", Executor: "gomlx", Backend: backend, Batch: o.Batch, Params: params}
	r.finish(b.StepS, flops, o.Batch)
	r.SetPeak(BackendPeak(b.Device, HostCPUPeak, false))
	return r, nil
}

// GPTGoMLX times the GPT of GPT on the GoMLX executor (xla.BenchGPT: the
// same AdamW, clipping and FLOP count as GPT) on backend. As in
// ResNetGoMLX, one untimed step precedes o.Iters timed ones.
func GPTGoMLX(o GPTOptions, backend string) (Result, error) {
	cfg := o.config()
	b, err := xla.BenchGPT(cfg, o.Batch, o.Iters, xla.GPTOptions{Backend: backend, BF16: o.BF16})
	if err != nil {
		return Result{}, err
	}
	r := Result{Bench: "gpt", Executor: "gomlx", Backend: backend, Batch: o.Batch, Params: cfg.NumParams(), Precision: o.precision()}
	n := o.Batch * o.Ctx
	r.finish(b.StepS, gptFLOPsPerToken(cfg)*float64(n), n)
	r.SetPeak(BackendPeak(b.Device, HostCPUPeak, o.BF16))
	return r, nil
}

// gptFLOPsPerToken is nanoGPT's training estimate 6N + 12*layers*dim*ctx,
// with N the parameter count without position embeddings.
func gptFLOPsPerToken(c nn.GPTConfig) float64 {
	return 6*float64(c.NumParams()-c.Ctx*c.Dim) + 12*float64(c.Layers*c.Dim*c.Ctx)
}
