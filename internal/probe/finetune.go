package probe

import (
	"wdlab/internal/nn"
	"wdlab/internal/optim"
	"wdlab/internal/train"
)

// ftOrderBase and ftOrderStride place the data orders of fine-tuning epochs
// far from the main run's epochs: fine-tuning epoch k of the copy made at
// epoch e visits the data in EpochOrder(seed, ftOrderBase+e*ftOrderStride+k).
const (
	ftOrderBase   = 1 << 40
	ftOrderStride = 1 << 20
)

// FineTune copies the iterate r.Model (weights and BN buffers) into a new
// model and trains the copy for r.Cfg.Probe.FTEpochs epochs with SGD at
// learning rate r.Cfg.Probe.FTLR and no weight decay (paper, Fig. 5; the run's
// momentum for SGD runs, none otherwise; no EMA), in train mode so the copy
// keeps its own BN running statistics. epoch is the main run's epoch and
// seeds the copy's data orders, so the result is reproducible.
func FineTune(r *train.Runner, epoch int) (*nn.Model, error) {
	m, err := cloneModel(r.Model)
	if err != nil {
		return nil, err
	}
	opt := &optim.SGD{}
	if r.Cfg.Optim.Name == "sgd" {
		opt.Momentum = r.Cfg.Optim.Momentum
	}
	p := r.Cfg.Probe
	for k := range p.FTEpochs {
		r.TrainEpoch(m, opt, ftOrderBase+epoch*ftOrderStride+k, p.FTLR, 0)
	}
	return m, nil
}

// cloneModel builds a new model from src's description and copies all of
// src's parameters and buffers into it.
func cloneModel(src *nn.Model) (*nn.Model, error) {
	m, err := nn.Build(src.Desc)
	if err != nil {
		return nil, err
	}
	if err := m.CopyWeightsFrom(src); err != nil {
		return nil, err
	}
	return m, nil
}
