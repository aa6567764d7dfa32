package tokens

import (
	"bytes"
	"slices"
	"testing"
)

// FuzzReadTokens checks that Parse never panics on arbitrary bytes and that
// whatever it accepts survives a re-encode in the detected format.
func FuzzReadTokens(f *testing.F) {
	for _, toks := range [][]uint16{{}, {1, 2, 3}, {50256, 0, 65535}} {
		for _, format := range []string{FormatNanoGPT, FormatLLMC} {
			b, _ := Encode(toks, format)
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		toks, format, err := Parse(data)
		if err != nil {
			return
		}
		b, err := Encode(toks, format)
		if err != nil {
			t.Fatalf("re-encoding %d tokens as %s: %v", len(toks), format, err)
		}
		switch format {
		case FormatNanoGPT:
			if !bytes.Equal(b, data) {
				t.Fatalf("raw re-encode differs from the input")
			}
		case FormatLLMC:
			// Unused header fields may differ; the token bytes may not.
			if !bytes.Equal(b[llmcHeaderBytes:], data[llmcHeaderBytes:]) {
				t.Fatalf("llm.c re-encode changes the tokens")
			}
		}
		again, format2, err := Parse(b)
		if err != nil || format2 != format || !slices.Equal(again, toks) {
			t.Fatalf("re-parse: %v %s %v", err, format2, again)
		}
	})
}
