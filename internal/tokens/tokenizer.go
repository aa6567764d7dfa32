package tokens

import "fmt"

// Tokenizer maps text to token ids and back.
type Tokenizer interface {
	// Encode returns the token ids of text.
	Encode(text string) []int
	// Decode returns the text of ids.
	Decode(ids []int) string
	// VocabSize is the number of distinct ids the tokenizer can produce.
	VocabSize() int
	// Name is the tokenizer's name as accepted by New ("byte", "gpt2").
	Name() string
}

// New returns the tokenizer called name: "byte" or "gpt2".
func New(name string) (Tokenizer, error) {
	switch name {
	case "byte":
		return Byte{}, nil
	case "gpt2":
		return NewGPT2()
	}
	return nil, fmt.Errorf("unknown tokenizer %q (want byte or gpt2)", name)
}
