// Package config defines wdlab's run configuration: the YAML schema with
// defaults, strict decoding (unknown keys and wrong types are errors),
// --set key=value overrides, and validation.
package config
