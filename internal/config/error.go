package config

// Error is a configuration error caused by the user's input: an unknown key,
// a wrong type or an invalid value. The CLI prints it on one line and exits 2.
type Error struct{ Msg string }

// Error returns the one-line message.
func (e *Error) Error() string { return e.Msg }
