package nn

import (
	"fmt"
	"sort"
)

// GPTConfig is the shape of a GPT-2 style model (no biases, gain-only
// LayerNorm, tied LM head).
type GPTConfig struct {
	Vocab  int `json:"vocab" yaml:"vocab"`
	Ctx    int `json:"ctx" yaml:"ctx"`
	Layers int `json:"layers" yaml:"layers"`
	Heads  int `json:"heads" yaml:"heads"`
	Dim    int `json:"dim" yaml:"dim"`
}

// gptPresets are the named GPT shapes. The GPT-2 vocabulary 50257 is padded
// to 50304 (a multiple of 64) as in nanoGPT.
var gptPresets = map[string]GPTConfig{
	// About 0.84M parameters: a byte-level model for CPU experiments.
	"tiny": {Vocab: 256, Ctx: 128, Layers: 4, Heads: 4, Dim: 128},
	// GPT-2 Small as in the paper's WD runs (train_gpt2_small_block256.py), 123.8M parameters.
	"gpt2-124m": {Vocab: 50304, Ctx: 256, Layers: 12, Heads: 12, Dim: 768},
	// GPT-2 Small with the 1024-token context of the paper's bf16 runs.
	"gpt2-124m-ctx1024": {Vocab: 50304, Ctx: 1024, Layers: 12, Heads: 12, Dim: 768},
	// GPT-2 Large (paper appendix; its context is unverified, 256 as in the WD runs).
	"gpt2-774m": {Vocab: 50304, Ctx: 256, Layers: 36, Heads: 20, Dim: 1280},
}

// GPTPreset returns the named GPT shape.
func GPTPreset(name string) (GPTConfig, error) {
	c, ok := gptPresets[name]
	if !ok {
		return GPTConfig{}, fmt.Errorf("unknown GPT preset %q (have %v)", name, GPTPresetNames())
	}
	return c, nil
}

// GPTPresetNames lists the preset names in sorted order.
func GPTPresetNames() []string {
	names := make([]string, 0, len(gptPresets))
	for n := range gptPresets {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Validate reports shapes the GPT cannot be built with.
func (c GPTConfig) Validate() error {
	if c.Vocab < 1 || c.Ctx < 1 || c.Layers < 1 || c.Heads < 1 || c.Dim < 1 {
		return fmt.Errorf("GPT vocab, ctx, layers, heads and dim must be positive, got %+v", c)
	}
	if c.Dim%c.Heads != 0 {
		return fmt.Errorf("GPT dim %d is not a multiple of heads %d", c.Dim, c.Heads)
	}
	return nil
}

// NumParams counts the model's scalars, the tied Wte once: Vocab*Dim +
// Ctx*Dim + Layers*(12 Dim^2 + 2 Dim) + Dim.
func (c GPTConfig) NumParams() int {
	return c.Vocab*c.Dim + c.Ctx*c.Dim + c.Layers*(12*c.Dim*c.Dim+2*c.Dim) + c.Dim
}
