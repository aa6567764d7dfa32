package train

import (
	"math"

	"wdlab/internal/config"
	"wdlab/internal/data"
	"wdlab/internal/nn"
	"wdlab/internal/optim"
)

// Runner holds everything one vision run needs. Hooks (the paper's
// instruments) receive it at every evaluation point.
type Runner struct {
	Cfg         config.Config
	Dir         string
	Desc        nn.Desc
	Model       *nn.Model // the SGD iterate
	EMAModel    *nn.Model // evaluation copy holding the EMA weights (nil without EMA)
	Train, Test *data.Dataset
	Opt         optim.Optimizer
	Sched       optim.Schedule
	EMA         *optim.EMA
	StepsPerEp  int
	mirror      // the accelerator of config.executor (nil Acc: native)
	x           *nn.Tensor
	y           []int32
	dlogits     *nn.Tensor
}

// state is the run's native training state.
func (r *Runner) state() State { return State{r.Model.Params(), r.Opt, r.EMA} }

// Step runs one training step of m on the examples idx: forward in train
// mode, mean CE, backward and an optimizer update with (lr, wd). It returns
// the mini-batch CE and error count.
func (r *Runner) Step(m *nn.Model, opt optim.Optimizer, idx []int, lr, wd float64) (float64, int) {
	r.gather(idx)
	m.ZeroGrad()
	logits := m.Forward(r.x, nn.Train)
	var loss float64
	var nErr int
	loss, nErr, r.dlogits = nn.SoftmaxCE(logits, r.y, r.dlogits)
	m.Backward(r.dlogits)
	opt.Step(m.Params(), lr, wd)
	return loss, nErr
}

// gather loads the examples idx into the runner's batch buffers.
func (r *Runner) gather(idx []int) {
	d := r.Train
	if r.x == nil || r.x.Shape[0] != len(idx) {
		r.x = nn.NewTensor(len(idx), d.H, d.W, d.C)
		r.y = make([]int32, len(idx))
	}
	d.Gather(idx, r.x.Data, r.y)
}

// TrainEpoch runs one epoch of m with a fixed (lr, wd), visiting batches in
// the order given by (seed, epoch). Fine-tuning copies use it.
func (r *Runner) TrainEpoch(m *nn.Model, opt optim.Optimizer, epoch int, lr, wd float64) (meanCE float64) {
	order := data.EpochOrder(r.Train.N, r.Cfg.Seed, epoch)
	b := r.Cfg.Train.BatchSize
	n := data.NumBatches(len(order), b)
	for s := range n {
		l, _ := r.Step(m, opt, order[s*b:(s+1)*b], lr, wd)
		meanCE += l / float64(n)
	}
	return meanCE
}

// IsScaleInv selects the scale-invariant parameter group.
func IsScaleInv(p *nn.Param) bool { return p.ScaleInv && !p.Buffer }

// IsWeight selects all non-buffer parameters.
func IsWeight(p *nn.Param) bool { return !p.Buffer }

// finite reports whether v is a usable loss value below limit.
func finite(v, limit float64) bool {
	return !math.IsNaN(v) && !math.IsInf(v, 0) && (limit <= 0 || v <= limit)
}
