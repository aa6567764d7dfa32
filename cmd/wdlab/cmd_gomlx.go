package main

import (
	"encoding/json"
	"fmt"
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
	fs := newFlags("gomlx", "check|bench")
	backend := fs.String("backend", "go", "`SPEC`: go, go:<config> or xla:/abs/path/plugin.so[,options]")
	conv := fs.String("conv", xla.ConvIm2col, "convolution `im2col|native`: fp32 dots, or cuDNN (TF32 on GPU)")
	model := fs.String("model", "resnet", "`resnet|bn-mlp|gpt` (resnet: PreAct)")
	preset := fs.String("gpt-preset", "tiny", "GPT shape `PRESET` (nn.GPTPreset) for --model gpt")
	width := fs.Int("width", 16, "resnet `width` / bn-mlp hidden width")
	blocks := fs.String("blocks", "1,1,1,1", "resnet blocks per stage (`N,N,N,N`)")
	size := fs.Int("size", 32, "input height and width `S` (3 channels, 10 classes)")
	batch := fs.Int("batch", 32, "batch size `B`")
	steps := fs.Int("steps", 3, "`N` SGD steps (check) or timed steps (bench)")
	asJSON := fs.Bool("json", false, "print one JSON object")
	cmd, err := fs.parseVerb(args, "check", "bench")
	if err != nil {
		return err
	}
	bl, err := parseInts(*blocks)
	if err != nil || *width < 1 || *size < 1 || *batch < 2 || *steps < 1 {
		return usagef("--blocks %q, --width %d, --size %d, --batch %d, --steps %d: want positive integers (batch >= 2)", *blocks, *width, *size, *batch, *steps)
	}
	if *model == "gpt" {
		return gomlxGPT(cmd, *preset, *backend, *batch, *steps, *asJSON)
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
	out := map[string]any{"cmd": cmd, "model": desc.Name, "backend": *backend, "conv": *conv, "batch": *batch, "steps": *steps}
	if cmd == "check" {
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
	if cmd == "check" {
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
