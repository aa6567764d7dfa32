package tokens

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"wdlab/internal/runio"
)

// PrepareInfo describes a prepared token directory; it is also the content of meta.json.
type PrepareInfo struct {
	Tokenizer   string `json:"tokenizer"`
	VocabSize   int    `json:"vocab_size"`
	TrainTokens int    `json:"train_tokens"`
	ValTokens   int    `json:"val_tokens"`
	Format      string `json:"format"`
}

// Prepare tokenizes text and writes outDir/train.bin and outDir/val.bin in
// format, plus outDir/meta.json. The validation split is the last valFrac
// of the token stream (rounded down to whole tokens). The same input always
// gives byte-identical files.
func Prepare(text string, tok Tokenizer, valFrac float64, outDir string, format string) (PrepareInfo, error) {
	if !(valFrac >= 0 && valFrac < 1) {
		return PrepareInfo{}, fmt.Errorf("validation fraction %v is outside [0, 1)", valFrac)
	}
	if format != FormatNanoGPT && format != FormatLLMC {
		return PrepareInfo{}, fmt.Errorf("unknown token file format %q (want %s or %s)", format, FormatNanoGPT, FormatLLMC)
	}
	if tok.VocabSize() > 1<<16 {
		return PrepareInfo{}, fmt.Errorf("tokenizer %s has %d ids; uint16 token files hold at most 65536", tok.Name(), tok.VocabSize())
	}
	ids := tok.Encode(text)
	toks := make([]uint16, len(ids))
	for i, id := range ids {
		toks[i] = uint16(id)
	}
	nVal := int(float64(len(toks)) * valFrac)
	nTrain := len(toks) - nVal
	if nTrain == 0 {
		return PrepareInfo{}, fmt.Errorf("the text has no tokens to train on")
	}
	info := PrepareInfo{Tokenizer: tok.Name(), VocabSize: tok.VocabSize(), TrainTokens: nTrain, ValTokens: nVal, Format: format}
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return PrepareInfo{}, err
	}
	if err := Write(filepath.Join(outDir, "train.bin"), toks[:nTrain], format); err != nil {
		return PrepareInfo{}, err
	}
	if err := Write(filepath.Join(outDir, "val.bin"), toks[nTrain:], format); err != nil {
		return PrepareInfo{}, err
	}
	meta, err := json.MarshalIndent(info, "", "  ")
	if err != nil {
		return PrepareInfo{}, err
	}
	if err := runio.WriteFileAtomic(filepath.Join(outDir, "meta.json"), append(meta, '\n'), 0o644); err != nil {
		return PrepareInfo{}, err
	}
	return info, nil
}

// ReadMeta loads outDir/meta.json written by Prepare.
func ReadMeta(dir string) (PrepareInfo, error) {
	path := filepath.Join(dir, "meta.json")
	b, err := os.ReadFile(path)
	if err != nil {
		return PrepareInfo{}, err
	}
	var info PrepareInfo
	if err := json.Unmarshal(b, &info); err != nil {
		return PrepareInfo{}, fmt.Errorf("%s: %w", path, err)
	}
	return info, nil
}
