package main

import (
	"fmt"
	"path/filepath"
	"strings"

	"wdlab/internal/ckpt"
	"wdlab/internal/config"
	"wdlab/internal/runio"
	"wdlab/internal/torchio"
)

func init() {
	commands["export"] = command{"write a run's weights as a PyTorch state_dict (safetensors)", runExport}
}

// torchDoc is where the PyTorch module definitions and a loading example are.
const torchDoc = "docs/export.md"

func runExport(args []string) error {
	fs := newFlags("export", "RUNDIR", "torch", "o")
	torch := fs.Bool("torch", false, "PyTorch names and layouts (the only format)")
	out := fs.String("o", "", "output `FILE.safetensors`")
	pos, err := fs.parse(args)
	if err != nil {
		return err
	}
	if len(pos) != 1 || !*torch || *out == "" {
		return fs.fail()
	}
	dir := pos[0]
	cfg, err := config.Load(filepath.Join(dir, runio.ConfigFile), nil)
	if err != nil {
		return err
	}
	if cfg.Model.Arch == "gpt" {
		return usagef("%s: export --torch supports the vision models, not model.arch gpt", dir)
	}
	ck, err := ckpt.Read(filepath.Join(dir, runio.CheckpointDir, runio.CheckpointFile))
	if err != nil {
		return err
	}
	model := map[string]ckpt.Tensor{}
	params := 0
	for name, t := range ck.Tensors {
		if n, ok := strings.CutPrefix(name, "model/"); ok {
			model[n] = t
			params += len(t.Data)
		}
	}
	if len(model) == 0 {
		return config.Inputf("%s: the checkpoint holds no model tensors", dir)
	}
	name := cfg.Name
	if name == "" {
		name = filepath.Base(filepath.Clean(dir))
	}
	f, err := torchio.Export(model, map[string]string{"arch": cfg.Model.Arch, "run": name})
	if err != nil {
		return err
	}
	if err := ckpt.Write(*out, f); err != nil {
		return err
	}
	fmt.Printf("%s: %d tensors, %d values (%s, PyTorch layouts)\n", *out, len(model), params, cfg.Model.Arch)
	fmt.Printf("PyTorch module definition and loading code: %s\n", torchDoc)
	return nil
}
