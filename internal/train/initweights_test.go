package train

import (
	"errors"
	"math"
	"path/filepath"
	"testing"

	"wdlab/internal/ckpt"
	"wdlab/internal/config"
	"wdlab/internal/torchio"
)

// A run with train.init_weights starts from the file's weights and BN
// statistics exactly, whatever its own seed.
func TestInitWeights(t *testing.T) {
	cfg := config.Default()
	cfg.Data.Name = "synthetic"
	cfg.Model.Arch, cfg.Model.Width, cfg.Model.Blocks = "preact-resnet", 4, []int{1, 1}
	src, err := newRunner(cfg, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	tensors := map[string]ckpt.Tensor{}
	for i, p := range src.Model.Params() {
		if p.Buffer { // non-default running statistics must arrive too
			for j := range p.W {
				p.W[j] = float32(i+j) + 0.25
			}
		}
		tensors[p.Name] = ckpt.Tensor{Shape: p.Shape, Data: p.W}
	}
	f, err := torchio.Export(tensors, nil)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "init.safetensors")
	if err := ckpt.Write(path, f); err != nil {
		t.Fatal(err)
	}
	cfg.Seed, cfg.Train.InitWeights = 7, path
	dst, err := newRunner(cfg, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range src.Model.Params() {
		q := dst.Model.Params()[i]
		for j := range p.W {
			if math.Float32bits(p.W[j]) != math.Float32bits(q.W[j]) {
				t.Fatalf("%s[%d] = %v, want %v", p.Name, j, q.W[j], p.W[j])
			}
		}
	}
	cfg.Train.InitWeights = filepath.Join(t.TempDir(), "missing.safetensors")
	var ce *config.InputError
	if _, err := newRunner(cfg, t.TempDir()); !errors.As(err, &ce) {
		t.Errorf("missing file: want a config error, got %v", err)
	}
}
