package main

import (
	"errors"
	"io/fs"

	"wdlab/internal/config"
)

// isInputError reports errors that come from the user's input (missing
// files, invalid configs) rather than from wdlab itself.
func isInputError(err error) bool {
	var ce *config.InputError
	return errors.As(err, &ce) || errors.Is(err, fs.ErrNotExist)
}
