package bench

import (
	"math/rand/v2"

	"wdlab/internal/models"
	"wdlab/internal/nn"
	"wdlab/internal/optim"
)

// ResNetOptions are the peer's resnet shapes.
type ResNetOptions struct {
	Width, Batch  int
	Blocks        []int
	Warmup, Iters int
}

// resnetDesc is the benchmarked PreAct-ResNet: 32x32x3 input, 10 classes.
func resnetDesc(o ResNetOptions) (nn.Desc, error) {
	return models.PreActResNet(models.ResNetSpec{Blocks: o.Blocks, Width: o.Width}, []int{32, 32, 3}, 10)
}

// ResNet times PreAct-ResNet training steps (32x32x3 input, 10 classes,
// SGD lr 0.08 with coupled WD 0.0125, fp32) like torch_bench.py resnet.
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
	x := nn.NewTensor(o.Batch, 32, 32, 3)
	for i := range x.Data {
		x.Data[i] = float32(rng.NormFloat64())
	}
	y := make([]int32, o.Batch)
	for i := range y {
		y[i] = int32(rng.IntN(10))
	}
	opt := &optim.SGD{}
	var g *nn.Tensor
	step := func() {
		m.ZeroGrad()
		_, _, g = nn.SoftmaxCE(m.Forward(x, nn.Train), y, g)
		m.Backward(g)
		opt.Step(m.Params(), 0.08, 0.0125)
	}
	r := Result{Bench: "resnet", Executor: "native", Batch: o.Batch, Params: m.NumParams()}
	r.finish(timeSteps(step, o.Warmup, o.Iters), 3*2*float64(ForwardMACs(m, o.Batch)), o.Batch)
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
