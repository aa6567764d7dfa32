package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"wdlab/internal/tokens"
)

func init() {
	commands["data"] = command{"prepare token files for language models (data prepare)", runData}
}

func runData(args []string) error {
	fs := newFlags("data", "prepare")
	tokName := fs.String("tokenizer", "byte", "`byte|gpt2`")
	input := fs.String("input", "", "text `FILE` to tokenize (default: the KJV printed by bible)")
	out := fs.String("out", "", "output `DIR` (default data/kjv-TOKENIZER, or data/NAME-TOKENIZER for --input NAME.txt)")
	val := fs.Float64("val", 0.1, "`fraction` of the token stream kept for validation (the tail)")
	format := fs.String("format", tokens.FormatNanoGPT, "token file format: `nanogpt|llmc`")
	if _, err := fs.parseVerb(args, "prepare"); err != nil {
		return err
	}
	if *tokName != "byte" && *tokName != "gpt2" {
		return usagef("--tokenizer %q: want byte or gpt2", *tokName)
	}
	if *format != tokens.FormatNanoGPT && *format != tokens.FormatLLMC {
		return usagef("--format %q: want nanogpt or llmc", *format)
	}
	if !(*val >= 0 && *val < 1) {
		return usagef("--val %v: want a fraction in [0, 1)", *val)
	}
	tok, err := tokens.New(*tokName)
	if err != nil {
		return err
	}
	var text, stem string
	if *input == "" {
		if text, err = tokens.KJVText(); err != nil {
			return err
		}
		stem = "kjv"
	} else {
		b, err := os.ReadFile(*input)
		if err != nil {
			return err
		}
		if len(b) == 0 {
			return usagef("--input %s is empty", *input)
		}
		text = string(b)
		stem = strings.TrimSuffix(filepath.Base(*input), filepath.Ext(*input))
	}
	dir := *out
	if dir == "" {
		dir = filepath.Join("data", stem+"-"+*tokName)
	}
	info, err := tokens.Prepare(text, tok, *val, dir, *format)
	if err != nil {
		return err
	}
	fmt.Printf("%s: %s tokenizer (vocab %d), %d train + %d val tokens, %s format\n",
		dir, info.Tokenizer, info.VocabSize, info.TrainTokens, info.ValTokens, info.Format)
	return nil
}
