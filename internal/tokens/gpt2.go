package tokens

import (
	"fmt"
	"sync"

	"github.com/pkoukk/tiktoken-go"
	tiktoken_loader "github.com/pkoukk/tiktoken-go-loader"
)

// GPT2VocabSize is the number of GPT-2 BPE tokens (50256 merges + <|endoftext|>).
const GPT2VocabSize = 50257

// GPT2EOT is the id of <|endoftext|>.
const GPT2EOT = 50256

// GPT2 is the GPT-2 BPE tokenizer (tiktoken r50k_base), loaded from ranks
// embedded in the binary so it works offline. Encode treats special-token
// text as ordinary text, like nanoGPT's encode_ordinary.
type GPT2 struct{ enc *tiktoken.Tiktoken }

var (
	gpt2Once sync.Once
	gpt2Enc  *tiktoken.Tiktoken
	gpt2Err  error
)

// NewGPT2 returns the GPT-2 tokenizer; the BPE ranks are parsed once per process.
func NewGPT2() (*GPT2, error) {
	gpt2Once.Do(func() {
		tiktoken.SetBpeLoader(tiktoken_loader.NewOfflineLoader())
		gpt2Enc, gpt2Err = tiktoken.GetEncoding(tiktoken.MODEL_R50K_BASE)
		if gpt2Err != nil {
			gpt2Err = fmt.Errorf("loading the GPT-2 BPE (r50k_base): %w", gpt2Err)
		}
	})
	if gpt2Err != nil {
		return nil, gpt2Err
	}
	return &GPT2{enc: gpt2Enc}, nil
}

// Encode returns the BPE ids of text.
func (g *GPT2) Encode(text string) []int { return g.enc.EncodeOrdinary(text) }

// Decode returns the text of ids; ids outside the vocabulary are skipped.
func (g *GPT2) Decode(ids []int) string { return g.enc.Decode(ids) }

// VocabSize is 50257.
func (g *GPT2) VocabSize() int { return GPT2VocabSize }

// Name is "gpt2".
func (g *GPT2) Name() string { return "gpt2" }
