package config

import "fmt"

// InputError is an error caused by the user's input rather than by wdlab: an
// unknown config key, an invalid value or flag, a missing data file. The CLI
// prints it on one line and exits 2. It wraps its cause, so errors.Is and
// errors.As see through it (e.g. to fs.ErrNotExist).
type InputError struct{ Err error }

// Error returns the cause's one-line message.
func (e *InputError) Error() string { return e.Err.Error() }

// Unwrap returns the cause.
func (e *InputError) Unwrap() error { return e.Err }

// Input marks err as an input error; nil stays nil.
func Input(err error) error {
	if err == nil {
		return nil
	}
	return &InputError{err}
}

// Inputf formats an input error; a %w verb wraps its operand.
func Inputf(format string, a ...any) error { return &InputError{fmt.Errorf(format, a...)} }
