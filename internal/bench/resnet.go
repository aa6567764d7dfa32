package bench

import (
	"math/rand/v2"

	"wdlab/internal/models"
	"wdlab/internal/nn"
	"wdlab/internal/optim"
)

// ResNetOptions are the peer's resnet shapes and the executor to time.
type ResNetOptions struct {
	Width, Batch  int
	Blocks        []int
	Warmup, Iters int
	// Input is the example shape [H, W, C] (nil: the peer's 32x32x3).
	Input []int
	// Executor names what computes the gradients ("" = "native"); with
	// NewStepper set, it does instead of the native engine.
	Executor   string
	NewStepper func(m *nn.Model) (Stepper, error)
}

// Stepper computes a model's loss and parameter gradients for a batch on
// another executor; the optimizer stays wdlab's.
type Stepper interface {
	// Step accumulates the gradients of n examples x (NHWC) with labels y
	// into the model's Params and returns the mean loss.
	Step(x []float32, y []int32, n int) (float64, error)
	// Kernels names the kernels the last step ran.
	Kernels() []string
	Close()
}

// resnetDesc is the benchmarked PreAct-ResNet: 32x32x3 input (or
// o.Input), 10 classes.
func resnetDesc(o ResNetOptions) (nn.Desc, error) {
	in := o.Input
	if in == nil {
		in = []int{32, 32, 3}
	}
	return models.PreActResNet(models.ResNetSpec{Blocks: o.Blocks, Width: o.Width}, in, 10)
}

// ResNet times PreAct-ResNet training steps (32x32x3 input, 10 classes,
// SGD lr 0.08 with coupled WD 0.0125, fp32) like torch_bench.py resnet, on
// the native engine or o's stepper.
func ResNet(o ResNetOptions) (Result, error) {
	d, err := resnetDesc(o)
	if err != nil {
		return Result{}, err
	}
	m, err := nn.Build(d)
	if err != nil {
		return Result{}, err
	}
	m.Init(0)
	rng := rand.New(rand.NewPCG(0, 0))
	x := nn.NewTensor(append([]int{o.Batch}, d.Input...)...)
	for i := range x.Data {
		x.Data[i] = float32(rng.NormFloat64())
	}
	y := make([]int32, o.Batch)
	for i := range y {
		y[i] = int32(rng.IntN(10))
	}
	opt := &optim.SGD{}
	var g *nn.Tensor
	grads := func() error {
		_, _, g = nn.SoftmaxCE(m.Forward(x, nn.Train), y, g)
		m.Backward(g)
		return nil
	}
	r := Result{Bench: "resnet", Executor: "native", Batch: o.Batch, Params: m.NumParams(), Kernels: nativeKernels()}
	var st Stepper
	if o.NewStepper != nil {
		if st, err = o.NewStepper(m); err != nil {
			return Result{}, err
		}
		defer st.Close()
		grads = func() error { _, err := st.Step(x.Data, y, o.Batch); return err }
		r.Executor = o.Executor
	}
	var failed error
	step := func() {
		m.ZeroGrad()
		if err := grads(); err != nil && failed == nil {
			failed = err
		}
		opt.Step(m.Params(), 0.08, 0.0125)
	}
	stepS := timeSteps(step, o.Warmup, o.Iters)
	if failed != nil {
		return Result{}, failed
	}
	flops := 3 * 2 * float64(ForwardMACs(m, o.Batch))
	if o.NewStepper != nil { // the native model never ran forward
		r.Kernels = st.Kernels()
		if flops, _, err = resnetTrainFLOPs(d, o.Batch); err != nil {
			return Result{}, err
		}
	}
	r.finish(stepS, flops, o.Batch)
	r.SetPeak(HostCPUPeak())
	return r, nil
}

// resnetTrainFLOPs is the training FLOPs per step of the model d at batch
// size batch, counted like ResNet (3 x 2 x ForwardMACs), and its parameter
// count. It runs one native forward pass of a single example to fix the
// spatial sizes; every count scales linearly with the batch.
func resnetTrainFLOPs(d nn.Desc, batch int) (flops float64, params int, err error) {
	m, err := nn.Build(d)
	if err != nil {
		return 0, 0, err
	}
	m.Init(0)
	m.Forward(nn.NewTensor(append([]int{1}, d.Input...)...), nn.Eval)
	return 3 * 2 * float64(ForwardMACs(m, 1)) * float64(batch), m.NumParams(), nil
}

// ForwardMACs counts the multiply-accumulates of the model's convolutions
// and dense layers for one forward pass of batch examples (the peer's hook
// count). It must run after a forward pass has fixed the spatial sizes.
func ForwardMACs(m *nn.Model, batch int) int {
	var macs int
	nn.Walk(m.Root, func(l nn.Layer) {
		switch v := l.(type) {
		case *nn.Conv2D:
			macs += v.OutPixels() * v.Cout * v.Cin * v.K * v.K
		case *nn.Linear:
			macs += batch * v.In * v.Out
		}
	})
	return macs
}
