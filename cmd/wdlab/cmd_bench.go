package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"wdlab/internal/bench"
)

func init() {
	commands["bench"] = command{"time full training steps: bench resnet|gpt [--json]", runBench}
}

func runBench(args []string) error {
	if len(args) == 0 || (args[0] != "resnet" && args[0] != "gpt") {
		return usagef("usage: wdlab bench resnet|gpt [flags] [--json]")
	}
	which := args[0]
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	width := fs.Int("width", 16, "resnet width")
	blocks := fs.String("blocks", "2,2,2,2", "resnet blocks per stage")
	batch := fs.Int("batch", 0, "batch size (default: 128 resnet, 16 gpt)")
	layers := fs.Int("layers", 4, "gpt layers")
	dim := fs.Int("dim", 128, "gpt width")
	heads := fs.Int("heads", 4, "gpt heads")
	ctx := fs.Int("ctx", 128, "gpt context")
	vocab := fs.Int("vocab", 256, "gpt vocabulary")
	warmup := fs.Int("warmup", 2, "untimed steps")
	iters := fs.Int("iters", 5, "timed steps")
	asJSON := fs.Bool("json", false, "print one JSON object")
	if err := fs.Parse(args[1:]); err != nil {
		return usagef("%v", err)
	}
	if *iters < 1 || *warmup < 0 {
		return usagef("--iters must be >= 1 and --warmup >= 0")
	}
	var res bench.Result
	var err error
	switch which {
	case "resnet":
		bl, perr := parseInts(*blocks)
		if perr != nil || *width < 1 {
			return usagef("--blocks %q / --width %d: want positive integers", *blocks, *width)
		}
		b := *batch
		if b == 0 {
			b = 128
		}
		res, err = bench.ResNet(bench.ResNetOptions{Width: *width, Batch: b, Blocks: bl, Warmup: *warmup, Iters: *iters})
	case "gpt":
		b := *batch
		if b == 0 {
			b = 16
		}
		res, err = bench.GPT(bench.GPTOptions{Layers: *layers, Dim: *dim, Heads: *heads, Ctx: *ctx, Vocab: *vocab, Batch: b, Warmup: *warmup, Iters: *iters})
	}
	if err != nil {
		return err
	}
	if *asJSON {
		return json.NewEncoder(os.Stdout).Encode(res)
	}
	fmt.Printf("%s batch %d: %.1f samples/s, %.3f s/step, %.1f GFLOP/s, peak RSS %.0f MiB, %d threads\n",
		res.Bench, res.Batch, res.SamplesPerS, res.StepS, res.GFLOPS, res.PeakRSSMB, res.Threads)
	return nil
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
