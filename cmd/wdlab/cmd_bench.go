package main

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"wdlab/internal/bench"
	"wdlab/internal/config"
)

func init() {
	commands["bench"] = command{"time full training steps and MFU: bench resnet|gpt [--executor native|gomlx|dnnl] [--json]", runBench}
}

// runBench times training steps of one model on one executor and reports
// throughput and MFU against the device's peak (bench.Peak).
func runBench(args []string) error {
	fs := newFlags("bench", "resnet|gpt")
	width := fs.Int("width", 16, "resnet `width`")
	blocks := fs.String("blocks", "2,2,2,2", "resnet blocks per stage (`N,N,N,N`)")
	input := fs.String("input", "32,32,3", "resnet example shape `H,W,C`")
	batch := fs.Int("batch", 0, "batch size `B` (default: 128 resnet, 16 gpt)")
	layers := fs.Int("layers", 4, "gpt `layers`")
	dim := fs.Int("dim", 128, "gpt width `D`")
	heads := fs.Int("heads", 4, "gpt `heads`")
	ctx := fs.Int("ctx", 128, "gpt context length `T`")
	vocab := fs.Int("vocab", 256, "gpt vocabulary size `V`")
	warmup := fs.Int("warmup", 2, "`N` untimed steps")
	iters := fs.Int("iters", 5, "`N` timed steps")
	asJSON := fs.Bool("json", false, "print one JSON object")
	executor := fs.String("executor", "", "`native|gomlx|dnnl` (default: dnnl for resnet where this build has it, else native)")
	backend := fs.String("gomlx-backend", "go", "GoMLX backend `SPEC`: go, go:<config> or xla:/abs/path/plugin.so[,options]")
	precision := fs.String("precision", "fp32", "gpt: `fp32|bf16` (bf16 matmuls, fp32 master weights)")
	peakGF := fs.Float64("peak-gflops", 0, "device peak `GFLOPS` for MFU (default: computed for the CPU, assumed for GPUs)")
	which, err := fs.parseVerb(args, "resnet", "gpt")
	if err != nil {
		return err
	}
	if *iters < 1 || *warmup < 0 {
		return usagef("--iters must be >= 1 and --warmup >= 0")
	}
	if *executor == "" {
		*executor = "native"
		if which == "resnet" {
			*executor = defaultExecutor(config.Config{Model: config.Model{Arch: "preact-resnet"}})
		}
	}
	if *executor != "native" && *executor != "gomlx" && (*executor != "dnnl" || which != "resnet") {
		return usagef("--executor %q: want native or gomlx (or dnnl: resnet only)", *executor)
	}
	if err := checkBackendSpec(*backend); err != nil {
		return err
	}
	if fs.isSet("gomlx-backend") && *executor != "gomlx" {
		return usagef("--gomlx-backend needs --executor gomlx")
	}
	if *precision != "fp32" && *precision != "bf16" || (*precision == "bf16" && which != "gpt") {
		return usagef("--precision %q: want fp32 or bf16 (bf16: gpt only)", *precision)
	}
	if !(*peakGF >= 0) || math.IsInf(*peakGF, 0) {
		return usagef("--peak-gflops %v: want a finite number >= 0 (0: default peak)", *peakGF)
	}
	var res bench.Result
	switch which {
	case "resnet":
		bl, perr := parseInts(*blocks)
		in, ierr := parseInts(*input)
		if perr != nil || ierr != nil || len(in) != 3 || *width < 1 {
			return usagef("--blocks %q / --input %q / --width %d: want positive integers (input: H,W,C)", *blocks, *input, *width)
		}
		b := *batch
		if b == 0 {
			b = 128
		}
		o := bench.ResNetOptions{Width: *width, Batch: b, Blocks: bl, Input: in, Warmup: *warmup, Iters: *iters}
		if *executor == "dnnl" {
			o.Executor, o.NewStepper = "dnnl", dnnlStepper
		}
		if *executor == "gomlx" {
			res, err = bench.ResNetGoMLX(o, *backend)
		} else {
			res, err = bench.ResNet(o)
		}
	case "gpt":
		b := *batch
		if b == 0 {
			b = 16
		}
		o := bench.GPTOptions{Layers: *layers, Dim: *dim, Heads: *heads, Ctx: *ctx, Vocab: *vocab, Batch: b, Warmup: *warmup, Iters: *iters, BF16: *precision == "bf16"}
		if *executor == "gomlx" {
			res, err = bench.GPTGoMLX(o, *backend)
		} else {
			res, err = bench.GPT(o)
		}
	}
	if err != nil {
		return err
	}
	res.SetPeak(res.Peak().Override(*peakGF))
	if *asJSON {
		return json.NewEncoder(os.Stdout).Encode(res)
	}
	run := res.Executor
	if res.Precision != "" {
		run += ", " + res.Precision
	}
	fmt.Printf("%s batch %d (%s): %.1f samples/s, %.3f s/step, %.1f GFLOP/s, peak RSS %.0f MiB, %d threads%s\n",
		res.Bench, res.Batch, run, res.SamplesPerS, res.StepS, res.GFLOPS, res.PeakRSSMB, res.Threads, mfuText(res))
	for _, k := range res.Kernels {
		fmt.Printf("  kernel %s\n", k)
	}
	return nil
}

// mfuText is the MFU part of the text line: ", MFU x.x% of P GFLOP/s
// (device)", with the peak's note in brackets unless it was computed.
func mfuText(r bench.Result) string {
	if r.PeakGFLOPS <= 0 {
		return fmt.Sprintf(", MFU unknown (%s) [%s]", r.Device, r.PeakNote)
	}
	s := fmt.Sprintf(", MFU %.1f%% of %.1f GFLOP/s (%s)", 100*r.MFU, r.PeakGFLOPS, r.Device)
	if !strings.HasPrefix(r.PeakNote, "computed") {
		s += " [" + r.PeakNote + "]"
	}
	return s
}

// checkBackendSpec rejects a --gomlx-backend that is neither "go",
// "go:<config>" nor "xla:/abs/path/plugin.so[,options]".
func checkBackendSpec(spec string) error {
	name, cfg, _ := strings.Cut(spec, ":")
	plugin, _, _ := strings.Cut(cfg, ",")
	if name == "go" || (name == "xla" && filepath.IsAbs(plugin)) {
		return nil
	}
	return usagef("--gomlx-backend %q: want go, go:<config> or xla:/abs/path/plugin.so", spec)
}

func parseInts(s string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		v, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || v < 1 {
			return nil, fmt.Errorf("bad integer %q", f)
		}
		out = append(out, v)
	}
	return out, nil
}
