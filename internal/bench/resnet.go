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

// ResNet times PreAct-ResNet training steps (32x32x3 input, 10 classes,
// SGD lr 0.08 with coupled WD 0.0125, fp32) like torch_bench.py resnet.
func ResNet(o ResNetOptions) (Result, error) {
	d, err := models.PreActResNet(models.ResNetSpec{Blocks: o.Blocks, Width: o.Width}, []int{32, 32, 3}, 10)
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
	return r, nil
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
