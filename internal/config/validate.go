package config

import (
	"fmt"
	"math"
	"slices"
)

// Validate checks value ranges and enumerations.
func (c Config) Validate() error {
	finite := func(key string, v float64, min float64, strict bool) error {
		if math.IsNaN(v) || math.IsInf(v, 0) || v < min || (strict && v == min) {
			rel := ">="
			if strict {
				rel = ">"
			}
			return fmt.Errorf("%s = %v: must be a finite number %s %v", key, v, rel, min)
		}
		return nil
	}
	positive := func(key string, v int) error {
		if v <= 0 {
			return fmt.Errorf("%s = %d: must be > 0", key, v)
		}
		return nil
	}
	oneOf := func(key, v string, allowed ...string) error {
		if !slices.Contains(allowed, v) {
			return fmt.Errorf("%s = %q: must be one of %v", key, v, allowed)
		}
		return nil
	}
	isLM := c.Model.Arch == "gpt"
	checks := []error{
		oneOf("executor", c.Executor, "native", "gomlx", "dnnl"),
		oneOf("precision", c.Precision, "fp32", "bf16"),
		oneOf("data.name", c.Data.Name, "fashion-mnist", "cifar10", "cifar100", "tiny-imagenet", "cifar5m", "synthetic", "tokens", "kjv"),
		oneOf("model.arch", c.Model.Arch, "preact-resnet", "preact-resnet-si", "vgg16", "bn-mlp", "gpt"),
		oneOf("optim.name", c.Optim.Name, "sgd", "adamw", "adam-l2"),
		oneOf("optim.schedule", c.Optim.Schedule, "constant", "step", "cosine"),
		finite("optim.lr", c.Optim.LR, 0, true),
		finite("optim.wd", c.Optim.WD, 0, false),
		finite("optim.momentum", c.Optim.Momentum, 0, false),
		finite("optim.lr_after", c.Optim.LRAfter, 0, false),
		finite("optim.min_lr", c.Optim.MinLR, 0, false),
		finite("optim.grad_clip", c.Optim.GradClip, 0, false),
		finite("train.ema", c.Train.EMA, 0, false),
		positive("train.batch_size", c.Train.BatchSize),
		positive("train.eval_batch_size", c.Train.EvalBatchSize),
		positive("train.eval_every", c.Train.EvalEvery),
		positive("train.grad_accum", c.Train.GradAccum),
	}
	if c.Train.InitWeights != "" && isLM {
		checks = append(checks, fmt.Errorf("train.init_weights is for the vision models; the GPT starts from a run with train.init_from"))
	}
	if c.Data.TestDir != "" && c.Data.Name != "cifar5m" {
		checks = append(checks, fmt.Errorf("data.test_dir is only used with data.name cifar5m, not %q", c.Data.Name))
	}
	if c.Executor == "dnnl" && !ConvArch(c.Model.Arch) {
		checks = append(checks, fmt.Errorf("executor = dnnl: it trains the convolutional nets (preact-resnet, preact-resnet-si, vgg16), not %q", c.Model.Arch))
	}
	if c.Optim.Momentum >= 1 {
		checks = append(checks, fmt.Errorf("optim.momentum = %v: must be < 1", c.Optim.Momentum))
	}
	if c.Train.EMA >= 1 {
		checks = append(checks, fmt.Errorf("train.ema = %v: must be < 1", c.Train.EMA))
	}
	if c.Optim.DropAt < 0 || c.Optim.DropAt > 1 || math.IsNaN(c.Optim.DropAt) {
		checks = append(checks, fmt.Errorf("optim.drop_at = %v: must be in [0, 1]", c.Optim.DropAt))
	}
	if isLM {
		checks = append(checks, positive("train.steps", c.Train.Steps), positive("model.layers", c.Model.Layers),
			positive("model.dim", c.Model.Dim), positive("model.heads", c.Model.Heads), positive("model.ctx", c.Model.Ctx))
		checks = append(checks, c.checkLMCheckpoints())
		if c.Model.Heads > 0 && c.Model.Dim%c.Model.Heads != 0 {
			checks = append(checks, fmt.Errorf("model.dim = %d: must be divisible by model.heads = %d", c.Model.Dim, c.Model.Heads))
		}
	} else {
		if c.Train.Steps == 0 {
			checks = append(checks, positive("train.epochs", c.Train.Epochs))
		} else {
			checks = append(checks, positive("train.steps", c.Train.Steps))
		}
		if c.Train.CheckpointEvery < 0 || c.Data.TrainPerClass < 0 || c.Data.TestPerClass < 0 {
			checks = append(checks, fmt.Errorf("train.checkpoint_every, data.train_per_class and data.test_per_class must be >= 0"))
		}
	}
	for _, err := range checks {
		if err != nil {
			return err
		}
	}
	return nil
}

// checkLMCheckpoints checks the cosine decay length, the kept checkpoints
// and the init_from keys of an LM config.
func (c Config) checkLMCheckpoints() error {
	t := c.Train
	if d := c.Optim.DecaySteps; d < 0 || (d > 0 && d < c.Optim.Warmup) {
		return fmt.Errorf("optim.decay_steps = %d: must be 0 (train.steps) or >= optim.warmup = %d", d, c.Optim.Warmup)
	}
	for _, k := range t.KeepCheckpoints {
		saved := k == t.Steps || (t.EvalEvery > 0 && k%t.EvalEvery == 0 && t.CheckpointEvery > 0 && k%t.CheckpointEvery == 0)
		if k <= 0 || k > t.Steps || !saved {
			return fmt.Errorf("train.keep_checkpoints: step %d is not a checkpointed step in (0, train.steps = %d] (a multiple of eval_every and checkpoint_every)", k, t.Steps)
		}
	}
	if t.InitFrom == "" && (t.InitStep != 0 || t.InitState) {
		return fmt.Errorf("train.init_step and train.init_state need train.init_from")
	}
	if t.InitStep < 0 {
		return fmt.Errorf("train.init_step = %d: must be >= 0", t.InitStep)
	}
	return nil
}

// ConvArch reports whether an architecture has a convolutional trunk (the
// nets the oneDNN executor trains).
func ConvArch(arch string) bool {
	return arch == "preact-resnet" || arch == "preact-resnet-si" || arch == "vgg16"
}
