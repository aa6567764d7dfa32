package train

import (
	"testing"
	"time"

	"wdlab/internal/config"
	"wdlab/internal/data"
	"wdlab/internal/nn"
	"wdlab/internal/optim"
)

// BenchmarkLoopOverhead measures what the loop adds around a training step
// (batch gathering, EMA update, scale-invariant snapshot and angle) for the
// fmnist-resnet-tiny model shape, as a fraction of the full step time.
func BenchmarkLoopOverhead(b *testing.B) {
	cfg, err := config.Parse([]byte("model: {arch: preact-resnet, width: 8, blocks: [1, 1, 1, 1]}\ntrain: {batch_size: 128, ema: 0.99}\n"), "bench", nil)
	if err != nil {
		b.Fatal(err)
	}
	tr := data.Synthetic(1024, 28, 28, 1, 10, 1)
	desc, _ := Describe(cfg.Model, []int{28, 28, 1}, 10)
	r := &Runner{Cfg: cfg, Train: tr}
	r.Model, _ = buildInit(desc, 1)
	r.Opt = &optim.SGD{}
	r.EMA = optim.NewEMA(r.Model.Params(), 0.99)
	order := data.EpochOrder(tr.N, 1, 1)
	prev := optim.SnapshotParams(r.Model.Params(), IsScaleInv)
	var stepT, overT time.Duration
	for i := range b.N {
		idx := order[(i%8)*128 : (i%8+1)*128]
		t0 := time.Now()
		r.Step(r.Model, r.Opt, idx, 0.1, 0.01)
		t1 := time.Now()
		r.gather(idx)
		r.EMA.Update(r.Model.Params())
		cur := optim.SnapshotParams(r.Model.Params(), IsScaleInv)
		optim.AngularUpdate(prev, cur)
		prev = cur
		t2 := time.Now()
		stepT += t1.Sub(t0)
		overT += t2.Sub(t1)
	}
	b.ReportMetric(100*overT.Seconds()/stepT.Seconds(), "overhead_%")
}

func buildInit(d nn.Desc, seed uint64) (*nn.Model, error) {
	m, err := nn.Build(d)
	if err == nil {
		m.Init(seed)
	}
	return m, err
}
