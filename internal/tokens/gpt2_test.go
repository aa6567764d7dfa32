package tokens

import (
	"slices"
	"testing"
)

func TestGPT2KnownIDs(t *testing.T) {
	tok, err := NewGPT2()
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		text string
		ids  []int
	}{
		{"Hello world", []int{15496, 995}},
		{"In the beginning", []int{818, 262, 3726}},
		// Special-token text is ordinary text (encode_ordinary), not id 50256.
		{"<|endoftext|>", []int{27, 91, 437, 1659, 5239, 91, 29}},
	}
	for _, c := range cases {
		got := tok.Encode(c.text)
		if !slices.Equal(got, c.ids) {
			t.Errorf("Encode(%q) = %v, want %v", c.text, got, c.ids)
		}
		if s := tok.Decode(c.ids); s != c.text {
			t.Errorf("Decode(%v) = %q, want %q", c.ids, s, c.text)
		}
	}
	if s := tok.Decode([]int{GPT2EOT}); s != "<|endoftext|>" {
		t.Errorf("Decode(EOT) = %q", s)
	}
	if tok.VocabSize() != 50257 {
		t.Errorf("VocabSize = %d, want 50257", tok.VocabSize())
	}
}
