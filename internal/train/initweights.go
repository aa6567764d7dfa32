package train

import (
	"wdlab/internal/ckpt"
	"wdlab/internal/config"
	"wdlab/internal/nn"
	"wdlab/internal/torchio"
)

// loadInitWeights replaces the model's initial parameters and buffers with
// those of the PyTorch-layout safetensors file path (train.init_weights;
// nothing when empty). A missing or mismatched file is a *config.InputError.
func loadInitWeights(m *nn.Model, path string) error {
	if path == "" {
		return nil
	}
	f, err := ckpt.Read(path)
	if err == nil {
		err = torchio.Import(f, m.Params())
	}
	if err != nil {
		return config.Inputf("train.init_weights %s: %w", path, err)
	}
	return nil
}
