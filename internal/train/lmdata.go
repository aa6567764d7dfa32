package train

import (
	"fmt"
	"path/filepath"

	"wdlab/internal/config"
	"wdlab/internal/tokens"
)

// valFraction is the share of the KJV token stream held out for validation.
const valFraction = 0.1

// LoadTokens returns the train and validation token streams: data.name
// "kjv" tokenizes the King James Bible in memory (data.tokenizer), "tokens"
// reads data.dir/train.bin and data.dir/val.bin (nanoGPT or llm.c format).
func LoadTokens(c config.Config) (train, val []uint16, vocab int, err error) {
	switch c.Data.Name {
	case "kjv":
		tok, err := tokens.New(c.Data.Tokenizer)
		if err != nil {
			return nil, nil, 0, &config.Error{Msg: fmt.Sprintf("data.tokenizer: %v", err)}
		}
		text, err := tokens.KJVText()
		if err != nil {
			return nil, nil, 0, err
		}
		ids := tok.Encode(text)
		all := make([]uint16, len(ids))
		for i, id := range ids {
			all[i] = uint16(id)
		}
		cut := len(all) - int(float64(len(all))*valFraction)
		return all[:cut], all[cut:], tok.VocabSize(), nil
	case "tokens":
		if c.Data.Dir == "" {
			return nil, nil, 0, &config.Error{Msg: "data.dir: a directory with train.bin and val.bin is required for data.name tokens"}
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
	return nil, nil, 0, &config.Error{Msg: fmt.Sprintf("data.name %q is not a token dataset (kjv, tokens)", c.Data.Name)}
}
