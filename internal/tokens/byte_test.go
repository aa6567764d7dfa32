package tokens

import (
	"slices"
	"testing"
)

func TestByteKnownAnswer(t *testing.T) {
	var tok Byte
	got := tok.Encode("Hé!")
	want := []int{72, 0xC3, 0xA9, 33}
	if !slices.Equal(got, want) {
		t.Fatalf("Encode(Hé!) = %v, want %v", got, want)
	}
	if s := tok.Decode(want); s != "Hé!" {
		t.Fatalf("Decode = %q, want Hé!", s)
	}
	if s := tok.Decode([]int{65, 256, -1, 66}); s != "A\uFFFD\uFFFDB" {
		t.Fatalf("Decode with out-of-range ids = %q", s)
	}
	if tok.VocabSize() != 256 || tok.Name() != "byte" {
		t.Fatalf("VocabSize, Name = %d, %q", tok.VocabSize(), tok.Name())
	}
}

func TestNewTokenizer(t *testing.T) {
	for _, name := range []string{"byte", "gpt2"} {
		tok, err := New(name)
		if err != nil {
			t.Fatal(err)
		}
		if tok.Name() != name {
			t.Fatalf("New(%q).Name() = %q", name, tok.Name())
		}
	}
	if _, err := New("bpe"); err == nil {
		t.Fatal("New(bpe) succeeded, want an error")
	}
}
