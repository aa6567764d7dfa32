package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"

	"wdlab/internal/models"
	"wdlab/internal/nn"
	"wdlab/internal/xla"
)

func init() {
	commands["gomlx"] = command{"GoMLX executor: gomlx check|bench --backend go|xla:/abs/plugin.so", runGomlx}
}

// runGomlx cross-checks the GoMLX executor against the native engine
// (check) or times its training steps (bench) on one backend.
func runGomlx(args []string) error {
	const usage = "usage: wdlab gomlx check|bench [--backend go|xla:/abs/plugin.so] [--conv im2col|native] [--model resnet|bn-mlp|gpt] [--width N] [--blocks 1,1,1,1] [--size S] [--gpt-preset tiny|gpt2-124m|...] [--batch N] [--steps N] [--json]"
	if len(args) == 0 || (args[0] != "check" && args[0] != "bench") {
		return usagef("%s", usage)
	}
	fs := flag.NewFlagSet("gomlx", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	backend := fs.String("backend", "go", "go, go:<config> or xla:/abs/path/plugin.so[,options]")
	conv := fs.String("conv", xla.ConvIm2col, "convolution: im2col (fp32 dots) or native (cuDNN; TF32 on GPU)")
	model := fs.String("model", "resnet", "resnet (PreAct), bn-mlp or gpt")
	preset := fs.String("gpt-preset", "tiny", "GPT shape (nn.GPTPreset) for --model gpt")
	width := fs.Int("width", 16, "resnet width / bn-mlp hidden width")
	blocks := fs.String("blocks", "1,1,1,1", "resnet blocks per stage")
	size := fs.Int("size", 32, "input height and width (3 channels, 10 classes)")
	batch := fs.Int("batch", 32, "batch size")
	steps := fs.Int("steps", 3, "SGD steps (check) or timed steps (bench)")
	asJSON := fs.Bool("json", false, "print one JSON object")
	if err := fs.Parse(args[1:]); err != nil || fs.NArg() > 0 {
		return usagef("%s", usage)
	}
	bl, err := parseInts(*blocks)
	if err != nil || *width < 1 || *size < 1 || *batch < 2 || *steps < 1 {
		return usagef("--blocks %q, --width %d, --size %d, --batch %d, --steps %d: want positive integers (batch >= 2)", *blocks, *width, *size, *batch, *steps)
	}
	if *model == "gpt" {
		return gomlxGPT(args[0], *preset, *backend, *batch, *steps, *asJSON)
	}
	var desc nn.Desc
	switch *model {
	case "resnet":
		desc, err = models.PreActResNet(models.ResNetSpec{Blocks: bl, Width: *width}, []int{*size, *size, 3}, 10)
	case "bn-mlp":
		desc, err = models.BNMLP([]int{*width, *width}, []int{*size, *size, 3}, 10)
	default:
		return usagef("--model %q: want resnet, bn-mlp or gpt", *model)
	}
	if err != nil {
		return usagef("%v", err)
	}
	out := map[string]any{"cmd": args[0], "model": desc.Name, "backend": *backend, "conv": *conv, "batch": *batch, "steps": *steps}
	if args[0] == "check" {
		r, err := xla.CrossCheck(desc, *backend, *conv, *batch, *steps, 1)
		if err != nil {
			return err
		}
		putCheck(out, r)
	} else {
		r, err := xla.BenchWithConfig(desc, *batch, *steps, xla.Config{Backend: *backend, Conv: *conv})
		if err != nil {
			return err
		}
		out["samples_per_s"], out["step_s"] = r.SamplesPerS, r.StepS
	}
	if *asJSON {
		return json.NewEncoder(os.Stdout).Encode(out)
	}
	if args[0] == "check" {
		fmt.Printf("%s on %s (%s conv), batch %d: loss %.6f vs native %.6f; max grad rel err %.2e (%s); after %d SGD steps max param rel err %.2e (%s)\n",
			desc.Name, *backend, *conv, *batch, out["loss"], out["native_loss"], out["grad_rel_err"], out["grad_worst"], *steps, out["param_rel_err"], out["param_worst"])
		return nil
	}
	fmt.Printf("%s on %s (%s conv), batch %d: %.1f samples/s, %.4f s/step\n", desc.Name, *backend, *conv, *batch, out["samples_per_s"], out["step_s"])
	return nil
}

// gomlxGPT is `gomlx check --model gpt`: the cross-check of
// xla.CrossCheckGPT (fp32). GPT throughput is `wdlab bench gpt --executor
// gomlx`, which also reports MFU.
func gomlxGPT(cmd, preset, backend string, batch, steps int, asJSON bool) error {
	if cmd != "check" {
		return usagef("GPT throughput on the GoMLX executor: wdlab bench gpt --executor gomlx --gomlx-backend %s", backend)
	}
	cfg, err := nn.GPTPreset(preset)
	if err != nil {
		return usagef("--gpt-preset: %v", err)
	}
	r, err := xla.CrossCheckGPT(cfg, backend, batch, steps, 1)
	if err != nil {
		return err
	}
	out := map[string]any{"cmd": cmd, "model": "gpt-" + preset, "backend": backend, "batch": batch, "ctx": cfg.Ctx, "steps": steps}
	putCheck(out, r)
	if asJSON {
		return json.NewEncoder(os.Stdout).Encode(out)
	}
	fmt.Printf("gpt-%s on %s, batch %d x %d: loss %.6f vs native %.6f; max grad rel err %.2e (%s); after %d AdamW steps max param rel err %.2e (%s)\n",
		preset, backend, batch, cfg.Ctx, r.Loss, r.NativeLoss, r.GradRelErr, r.GradWorst, steps, r.ParamRelErr, r.ParamWorst)
	return nil
}

// putCheck adds a cross-check's results to the JSON output map.
func putCheck(out map[string]any, r xla.CheckResult) {
	out["loss"], out["native_loss"] = r.Loss, r.NativeLoss
	out["grad_rel_err"], out["grad_worst"] = r.GradRelErr, r.GradWorst
	out["param_rel_err"], out["param_worst"] = r.ParamRelErr, r.ParamWorst
}
