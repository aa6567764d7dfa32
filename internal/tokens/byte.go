package tokens

// Byte is the byte-level tokenizer: every UTF-8 byte of the text is one token
// (vocabulary 256).
type Byte struct{}

// Encode returns the bytes of text as ids.
func (Byte) Encode(text string) []int {
	ids := make([]int, len(text))
	for i := 0; i < len(text); i++ {
		ids[i] = int(text[i])
	}
	return ids
}

// Decode returns the bytes named by ids; ids outside [0, 256) become U+FFFD.
func (Byte) Decode(ids []int) string {
	b := make([]byte, 0, len(ids))
	for _, id := range ids {
		if id < 0 || id > 255 {
			b = append(b, "\uFFFD"...)
			continue
		}
		b = append(b, byte(id))
	}
	return string(b)
}

// VocabSize is 256.
func (Byte) VocabSize() int { return 256 }

// Name is "byte".
func (Byte) Name() string { return "byte" }
