package tokens_test

import (
	"fmt"

	"wdlab/internal/tokens"
)

// Turn text into next-token training pairs with the byte tokenizer and a
// one-pass sampler.
func ExampleFill() {
	ids := tokens.Byte{}.Encode("abcdefgh")
	toks := make([]uint16, len(ids))
	for i, id := range ids {
		toks[i] = uint16(id)
	}
	const ctx, batch = 3, 2
	s, err := tokens.NewOnePass(len(toks), ctx, batch, 1)
	if err != nil {
		panic(err)
	}
	starts := make([]int, batch)
	if err := s.Next(starts); err != nil {
		panic(err)
	}
	x, y := make([]int32, batch*ctx), make([]int32, batch*ctx)
	tokens.Fill(toks, starts, ctx, x, y)
	for b := range batch {
		fmt.Printf("%q -> %q\n", string(toBytes(x[b*ctx:(b+1)*ctx])), string(toBytes(y[b*ctx:(b+1)*ctx])))
	}
	// Unordered output:
	// "abc" -> "bcd"
	// "efg" -> "fgh"
}

func toBytes(v []int32) []byte {
	b := make([]byte, len(v))
	for i, t := range v {
		b[i] = byte(t)
	}
	return b
}
