package train

import (
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"wdlab/internal/config"
)

// writeFakeTinyImageNet writes a 2-class tiny-imagenet-200 layout: 6 train
// and 2 val 64x64 JPEGs per class, class 0 dark and class 1 bright.
func writeFakeTinyImageNet(t *testing.T, dir string) {
	t.Helper()
	img := func(path string, k, j int) {
		m := image.NewRGBA(image.Rect(0, 0, 64, 64))
		for y := range 64 {
			for x := range 64 {
				v := uint8(40 + 150*k + 3*j + (x+y)%8)
				m.Set(x, y, color.RGBA{v, v / 2, 255 - v, 255})
			}
		}
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		f, err := os.Create(path)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if err := jpeg.Encode(f, m, nil); err != nil {
			t.Fatal(err)
		}
	}
	wnids := []string{"n0", "n1"}
	var ann []string
	for k, w := range wnids {
		for j := range 6 {
			img(filepath.Join(dir, "train", w, "images", fmt.Sprintf("%s_%d.JPEG", w, j)), k, j)
		}
		for j := range 2 {
			name := fmt.Sprintf("val_%d.JPEG", 2*k+j)
			img(filepath.Join(dir, "val", "images", name), k, j)
			ann = append(ann, name+"\t"+w+"\t0\t0\t63\t63")
		}
	}
	for name, text := range map[string]string{"wnids.txt": strings.Join(wnids, "\n"), "val/val_annotations.txt": strings.Join(ann, "\n")} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// A PreAct-ResNet trains end to end on 64x64 Tiny-ImageNet-format data.
func TestTinyImageNetRun(t *testing.T) {
	dir := t.TempDir()
	writeFakeTinyImageNet(t, dir)
	cfg := visionCfg(t, "data.name=tiny-imagenet", "data.dir="+dir, "data.train_per_class=5",
		"model.arch=preact-resnet", "model.width=4", "model.blocks=[1,1]", "train.epochs=2", "train.batch_size=4")
	tr, te, err := LoadData(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if tr.N != 10 || te.N != 4 || tr.H != 64 || tr.Classes != 2 {
		t.Fatalf("data: train N=%d test N=%d H=%d classes=%d", tr.N, te.N, tr.H, tr.Classes)
	}
	s, err := Run(cfg, t.TempDir(), Options{})
	if err != nil || s.Status != "completed" {
		t.Fatalf("run: %v %+v", err, s)
	}
}

// Missing dataset files are one-line config errors naming what was expected.
func TestLoadDataMissingFiles(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "none")
	for name, want := range map[string]string{
		"tiny-imagenet": filepath.Join(missing, "wnids.txt"),
		"cifar5m":       filepath.Join(missing, "cifar5m_part0.npz"),
		"fashion-mnist": filepath.Join(missing, "train-images-idx3-ubyte.gz"),
	} {
		_, _, err := LoadData(visionCfg(t, "data.name="+name, "data.dir="+missing))
		var ce *config.InputError
		if !errors.As(err, &ce) || !strings.Contains(err.Error(), want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: got %v, want a one-line *config.InputError naming %s", name, err, want)
		}
	}
}

// A config.executor the caller passed no accelerator for is an input error
// raised before the run directory exists.
func TestUnprovidedExecutorIsInputError(t *testing.T) {
	cfg := visionCfg(t, "executor=gomlx")
	dir := filepath.Join(t.TempDir(), "run")
	other := func(AccelSpec) (Accelerator, error) { return nil, nil }
	_, err := Run(cfg, dir, Options{Executors: Executors{"other": other}})
	var ce *config.InputError
	if !errors.As(err, &ce) || !strings.Contains(err.Error(), `executor "gomlx" is not available`) {
		t.Errorf("got %v, want a *config.InputError naming the executor", err)
	}
	if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("run directory written (stat: %v)", err)
	}
	lm := lmCfg(t)
	lm.Executor = "gomlx"
	if _, err := RunLM(lm, dir, Options{}); !errors.As(err, &ce) {
		t.Errorf("LM run on an executor not passed: got %v, want a *config.InputError", err)
	}
}
