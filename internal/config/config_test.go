package config

import (
	"errors"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseDefaultsAndSets(t *testing.T) {
	cfg, err := Parse([]byte("name: x\noptim:\n  lr: 0.05\n"), "t.yaml", []string{"optim.wd=0.01", "model.blocks=[1,1]", "train.epochs=3"})
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Optim.LR != 0.05 || cfg.Optim.WD != 0.01 || cfg.Train.Epochs != 3 || len(cfg.Model.Blocks) != 2 {
		t.Fatalf("got %+v", cfg)
	}
	if cfg.Train.BatchSize != 128 || cfg.Seed != 42 {
		t.Fatalf("defaults lost: %+v", cfg.Train)
	}
	back, err := Parse(cfg.Marshal(), "round-trip", nil)
	if err != nil || back.Optim.WD != 0.01 || back.Name != "x" {
		t.Fatalf("round trip: %v %+v", err, back.Optim)
	}
}

// A vision run budgeted in train.steps needs no train.epochs.
func TestVisionStepBudgetNeedsNoEpochs(t *testing.T) {
	if _, err := Parse([]byte("train: {epochs: 0, steps: 90}\n"), "t.yaml", nil); err != nil {
		t.Fatal(err)
	}
}

func TestParseErrorsAreOneLineConfigErrors(t *testing.T) {
	cases := map[string]struct {
		yaml string
		sets []string
		want string
	}{
		"unknown key":                {"optim:\n  lrr: 0.1\n", nil, "lrr"},
		"unknown section":            {"optimizer: {}\n", nil, "optimizer"},
		"unknown set":                {"", []string{"train.epochz=3"}, "epochz"},
		"wrong type":                 {"train:\n  epochs: many\n", nil, "epochs"},
		"negative lr":                {"optim:\n  lr: -1\n", nil, "optim.lr"},
		"nan wd":                     {"optim:\n  wd: .nan\n", nil, "optim.wd"},
		"bad arch":                   {"model:\n  arch: alexnet\n", nil, "model.arch"},
		"test_dir":                   {"data:\n  name: cifar10\n  test_dir: x\n", nil, "data.test_dir is only used with data.name cifar5m"},
		"bad set syntax":             {"", []string{"novalue"}, "key=value"},
		"zero batch":                 {"train:\n  batch_size: 0\n", nil, "batch_size"},
		"decay before warm-up":       {"model: {arch: gpt, layers: 1, dim: 8, heads: 2, ctx: 8}\ntrain: {steps: 100, eval_every: 10, checkpoint_every: 20}\n", []string{"optim.warmup=10", "optim.decay_steps=5"}, "optim.decay_steps"},
		"kept step not checkpointed": {"model: {arch: gpt, layers: 1, dim: 8, heads: 2, ctx: 8}\ntrain: {steps: 100, eval_every: 10, checkpoint_every: 20}\n", []string{"train.keep_checkpoints=[30]"}, "train.keep_checkpoints"},
		"kept step after the end":    {"model: {arch: gpt, layers: 1, dim: 8, heads: 2, ctx: 8}\ntrain: {steps: 100, eval_every: 10, checkpoint_every: 20}\n", []string{"train.keep_checkpoints=[120]"}, "train.keep_checkpoints"},
		"init_state alone":           {"model: {arch: gpt, layers: 1, dim: 8, heads: 2, ctx: 8}\ntrain: {steps: 100, eval_every: 10, checkpoint_every: 20}\n", []string{"train.init_state=true"}, "train.init_from"},
		"no budget":                  {"train:\n  epochs: 0\n", nil, "train.epochs"},
		"negative steps":             {"train:\n  steps: -5\n", nil, "train.steps"},
		"dnnl on the GPT":            {"model: {arch: gpt, layers: 1, dim: 8, heads: 2, ctx: 8}\ntrain: {steps: 100, eval_every: 10, checkpoint_every: 20}\n", []string{"executor=dnnl"}, "executor = dnnl"},
		"dnnl on the BN-MLP":         {"model:\n  arch: bn-mlp\n", []string{"executor=dnnl"}, "executor = dnnl"},
	}
	for name, c := range cases {
		_, err := Parse([]byte(c.yaml), "c.yaml", c.sets)
		var ce *InputError
		if !errors.As(err, &ce) {
			t.Errorf("%s: got %v, want *config.InputError", name, err)
			continue
		}
		if !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: message %q should mention %q on one line", name, err, c.want)
		}
	}
}

func TestLoadMissingFile(t *testing.T) {
	_, err := Load(filepath.Join(t.TempDir(), "missing.yaml"), nil)
	var ce *InputError
	if !errors.As(err, &ce) || !strings.Contains(err.Error(), "does not exist") {
		t.Fatalf("got %v", err)
	}
}

func TestUnknownKeyMessageNamesKey(t *testing.T) {
	_, err := Parse([]byte("optim:\n  lrr: 1\n"), "c.yaml", nil)
	if err == nil || !strings.Contains(err.Error(), "optim.lrr") {
		t.Fatalf("got %v", err)
	}
}

func TestLargeVisionDatasets(t *testing.T) {
	for _, name := range []string{"tiny-imagenet", "cifar5m"} {
		if _, err := Parse([]byte("data: {name: "+name+", dir: /d}\n"), "c.yaml", nil); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	cfg, err := Parse([]byte("data: {name: cifar5m, test_dir: /c10}\n"), "c.yaml", nil)
	if err != nil || cfg.Data.TestDir != "/c10" {
		t.Fatalf("test_dir: %v %+v", err, cfg.Data)
	}
	if back, err := Parse(cfg.Marshal(), "round-trip", nil); err != nil || back.Data.TestDir != "/c10" {
		t.Fatalf("round trip: %v %+v", err, back.Data)
	}
	// Configs without test_dir marshal as before (resume compares config.yaml bytes).
	if strings.Contains(string(Default().Marshal()), "test_dir") {
		t.Fatal("an empty test_dir is marshalled")
	}
}

func TestInputErrorWrapsItsCause(t *testing.T) {
	err := Inputf("data.dir: %w", fs.ErrNotExist)
	var ie *InputError
	if !errors.As(err, &ie) || !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("%v: errors.As(*InputError) %v, errors.Is(fs.ErrNotExist) %v; want both", err, errors.As(err, &ie), errors.Is(err, fs.ErrNotExist))
	}
	if got, want := err.Error(), "data.dir: file does not exist"; got != want {
		t.Errorf("message %q, want %q", got, want)
	}
	if Input(nil) != nil {
		t.Error("Input(nil) is not nil")
	}
}
