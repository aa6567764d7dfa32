package train

import (
	"errors"
	"fmt"
	"io/fs"

	"wdlab/internal/config"
	"wdlab/internal/data"
	"wdlab/internal/models"
	"wdlab/internal/nn"
	"wdlab/internal/optim"
)

// LoadData loads, subsets and standardises the configured vision dataset.
// Missing dataset files are a *config.InputError naming the expected files.
func LoadData(c config.Config) (train, test *data.Dataset, err error) {
	if c.Data.Name == "synthetic" {
		all := data.Synthetic(3000, 8, 8, 1, 4, c.Seed)
		idx := make([]int, all.N)
		for i := range idx {
			idx[i] = i
		}
		train, test = all.Subset(idx[:2000]), all.Subset(idx[2000:])
	} else if train, test, err = data.LoadVision(c.Data.Name, c.Data.Dir, data.Options{
		TrainPerClass: c.Data.TrainPerClass, TestPerClass: c.Data.TestPerClass, TestDir: c.Data.TestDir,
	}); err != nil {
		if errors.Is(err, fs.ErrNotExist) { // missing dataset files: the config points at nothing
			return nil, nil, config.Input(err)
		}
		return nil, nil, err
	}
	if c.Data.TrainPerClass > 0 {
		if train, err = train.KeepPerClass(c.Data.TrainPerClass); err != nil {
			return nil, nil, config.Inputf("data.train_per_class: %w", err)
		}
	}
	if c.Data.TestPerClass > 0 {
		if test, err = test.KeepPerClass(c.Data.TestPerClass); err != nil {
			return nil, nil, config.Inputf("data.test_per_class: %w", err)
		}
	}
	if c.Data.Standardize {
		mean, std := data.ChannelStats(train)
		train.Normalize(mean, std)
		test.Normalize(mean, std)
	}
	return train, test, nil
}

// Describe builds the model description for a dataset shape.
func Describe(m config.Model, input []int, classes int) (nn.Desc, error) {
	var d nn.Desc
	var err error
	switch m.Arch {
	case "preact-resnet", "preact-resnet-si":
		d, err = models.PreActResNet(models.ResNetSpec{Blocks: m.Blocks, Width: m.Width, ScaleInv: m.Arch == "preact-resnet-si"}, input, classes)
	case "vgg16":
		d, err = models.VGG16(m.Width, input, classes)
	case "bn-mlp":
		d, err = models.BNMLP(m.Hidden, input, classes)
	default:
		err = fmt.Errorf("model.arch %q is not a vision model", m.Arch)
	}
	if err != nil {
		return nn.Desc{}, config.Input(err)
	}
	return d, nil
}

// NewOptimizer builds the configured optimizer.
func NewOptimizer(o config.Optim) (optim.Optimizer, error) {
	switch o.Name {
	case "sgd":
		return &optim.SGD{Momentum: o.Momentum, Decoupled: o.Decoupled}, nil
	case "adamw", "adam-l2":
		a := &optim.AdamW{Beta1: o.Beta1, Beta2: o.Beta2, Eps: o.Eps, L2: o.Name == "adam-l2"}
		if err := a.Validate(); err != nil {
			return nil, config.Input(err)
		}
		return a, nil
	}
	return nil, config.Inputf("optim.name %q unknown", o.Name)
}

// NewSchedule builds the LR schedule for a run of totalSteps steps whose
// one-drop schedule (if chosen) drops at dropStep; the cosine ends at
// optim.decay_steps when set, else at totalSteps.
func NewSchedule(o config.Optim, totalSteps, dropStep int) optim.Schedule {
	switch o.Schedule {
	case "step":
		return optim.StepDrop{LR0: o.LR, LRAfter: o.LRAfter, DropStep: dropStep}
	case "cosine":
		end := totalSteps
		if o.DecaySteps > 0 {
			end = o.DecaySteps
		}
		return optim.WarmupCosine{Max: o.LR, Min: o.MinLR, Warmup: o.Warmup, DecayEnd: end}
	}
	return optim.Constant{LR: o.LR}
}
