package main

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"wdlab/internal/ckpt"
	"wdlab/internal/config"
	"wdlab/internal/nn"
	"wdlab/internal/runio"
	"wdlab/internal/torchio"
	"wdlab/internal/train"
)

// export --torch writes the checkpoint's model tensors in PyTorch layout:
// the tiny BN-MLP's fc1.weight [64 in, 16 out] becomes [16, 64] with
// torch[o][i] = wdlab[i][o], BN running statistics included.
func TestExportTorch(t *testing.T) {
	dir := trainTiny(t, "run")
	stdout, stderr, code := wdlab(t, dir, "export", "--torch", "run", "-o", "w.safetensors")
	if code != 0 || !strings.Contains(stdout, torchDoc) {
		t.Fatalf("export: %d %q %q", code, stdout, stderr)
	}
	ck, err := ckpt.Read(filepath.Join(dir, "run", runio.CheckpointDir, runio.CheckpointFile))
	must(t, err)
	pt, err := ckpt.Read(filepath.Join(dir, "w.safetensors"))
	must(t, err)
	if pt.Metadata["format"] != "pt" || pt.Metadata["arch"] != "bn-mlp" || pt.Metadata["run"] != "tiny" {
		t.Errorf("metadata %v", pt.Metadata)
	}
	w, got := ck.Tensors["model/fc1.weight"], pt.Tensors["fc1.weight"]
	if fmt.Sprint(w.Shape) != "[64 16]" || fmt.Sprint(got.Shape) != "[16 64]" {
		t.Fatalf("fc1.weight: checkpoint %v, export %v", w.Shape, got.Shape)
	}
	for o := 0; o < 16; o++ {
		for i := 0; i < 64; i++ {
			if math.Float32bits(got.Data[o*64+i]) != math.Float32bits(w.Data[i*16+o]) {
				t.Fatalf("fc1.weight[%d][%d] = %v, want %v", o, i, got.Data[o*64+i], w.Data[i*16+o])
			}
		}
	}
	rv := ck.Tensors["model/bn1.running_var"]
	if g := pt.Tensors["bn1.running_var"]; len(pt.Tensors) != len(ck.Tensors)-countPrefix(ck, "optim/")-countPrefix(ck, "ema/") || fmt.Sprint(g.Data) != fmt.Sprint(rv.Data) {
		t.Errorf("%d tensors; bn1.running_var %v, want %v", len(pt.Tensors), g.Data, rv.Data)
	}
}

// trainTiny trains tinyConfig into out under a new temp folder and
// returns the folder.
func trainTiny(t *testing.T, out string) string {
	t.Helper()
	dir := t.TempDir()
	cfg := writeFile(t, dir, "tiny.yaml", tinyConfig)
	if _, stderr, code := wdlab(t, dir, "train", "-q", "-c", cfg, "--out", out); code != 0 {
		t.Fatalf("train: %d %s", code, stderr)
	}
	return dir
}

func countPrefix(f ckpt.File, prefix string) int {
	n := 0
	for k := range f.Tensors {
		if strings.HasPrefix(k, prefix) {
			n++
		}
	}
	return n
}

func TestExportBadInput(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "gpt.yaml", "name: g\nmodel:\n  arch: gpt\n")
	must(t, os.MkdirAll(filepath.Join(dir, "lm"), 0o755))
	must(t, os.Rename(filepath.Join(dir, "gpt.yaml"), filepath.Join(dir, "lm", runio.ConfigFile)))
	for _, args := range [][]string{
		{"export", "run", "-o", "w.safetensors"},                // no --torch
		{"export", "--torch", "run"},                            // no -o
		{"export", "--torch", "missing", "-o", "w.safetensors"}, // no run
		{"export", "--torch", "lm", "-o", "w.safetensors"},      // an LM
	} {
		_, stderr, code := wdlab(t, dir, args...)
		if code != 2 || strings.Count(strings.TrimSpace(stderr), "\n") != 0 {
			t.Errorf("%v: exit %d, stderr %q", args, code, stderr)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "w.safetensors")); err == nil {
		t.Error("a failed export wrote its output")
	}
}

// The state_dict listing in docs/export.md is what export --torch writes
// for the model of configs/fmnist-resnet-tiny.yaml: the names, order and
// shapes that the doc's PyTorch module must have.
func TestExportDocListing(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "..", torchDoc))
	must(t, err)
	m := regexp.MustCompile("(?s)<!-- state_dict: fmnist-resnet-tiny -->\\s*```text\n(.*?)```").FindSubmatch(doc)
	if m == nil {
		t.Fatalf("%s has no state_dict listing", torchDoc)
	}
	cfg, err := config.Load(filepath.Join("..", "..", "configs", "fmnist-resnet-tiny.yaml"), nil)
	must(t, err)
	desc, err := train.Describe(cfg.Model, []int{28, 28, 1}, 10) // Fashion-MNIST
	must(t, err)
	model, err := nn.Build(desc)
	must(t, err)
	var want strings.Builder
	for _, p := range model.Params() {
		pt, err := torchio.ToTorch(ckpt.Tensor{Shape: p.Shape, Data: p.W})
		must(t, err)
		fmt.Fprintf(&want, "%s %v\n", p.Name, pt.Shape)
	}
	if string(m[1]) != want.String() {
		t.Errorf("%s listing differs from the export; want:\n%s", torchDoc, want.String())
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
