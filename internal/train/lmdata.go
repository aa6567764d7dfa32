package train

import (
	"path/filepath"

	"wdlab/internal/config"
	"wdlab/internal/tokens"
)

// valEvery and valBlock define the KJV validation split: every 10th block
// of 4096 tokens. Interleaving keeps both splits drawn from all books, so the
// train/validation gap measures generalisation, not a shift of style.
const (
	valEvery = 10
	valBlock = 4096
)

// LoadTokens returns the train and validation token streams: data.name
// "kjv" tokenizes the King James Bible in memory (data.tokenizer), "tokens"
// reads data.dir/train.bin and data.dir/val.bin (nanoGPT or llm.c format).
func LoadTokens(c config.Config) (train, val []uint16, vocab int, err error) {
	switch c.Data.Name {
	case "kjv":
		tok, err := tokens.New(c.Data.Tokenizer)
		if err != nil {
			return nil, nil, 0, config.Inputf("data.tokenizer: %w", err)
		}
		text, err := tokens.KJVText()
		if err != nil {
			return nil, nil, 0, err
		}
		train, val = splitBlocks(tok.Encode(text))
		return train, val, tok.VocabSize(), nil
	case "tokens":
		if c.Data.Dir == "" {
			return nil, nil, 0, config.Inputf("data.dir: a directory with train.bin and val.bin is required for data.name tokens")
		}
		if train, _, err = tokens.Read(filepath.Join(c.Data.Dir, "train.bin")); err != nil {
			return nil, nil, 0, err
		}
		if val, _, err = tokens.Read(filepath.Join(c.Data.Dir, "val.bin")); err != nil {
			return nil, nil, 0, err
		}
		vocab = c.Model.Vocab
		if info, merr := tokens.ReadMeta(c.Data.Dir); merr == nil {
			vocab = info.VocabSize
		}
		return train, val, vocab, nil
	}
	return nil, nil, 0, config.Inputf("data.name %q is not a token dataset (kjv, tokens)", c.Data.Name)
}

// splitBlocks puts every valEvery-th block of valBlock tokens into val.
func splitBlocks(ids []int) (train, val []uint16) {
	for i, id := range ids {
		if (i/valBlock)%valEvery == valEvery-1 {
			val = append(val, uint16(id))
		} else {
			train = append(train, uint16(id))
		}
	}
	return train, val
}
