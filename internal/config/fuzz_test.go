package config

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzParse feeds arbitrary YAML and one --set override to Parse. Parse must
// never panic; it either fails with a one-line *InputError or returns a config
// that passes Validate and whose marshalled form parses back to the same
// bytes (config.yaml in a run directory is compared byte for byte on
// --resume). The committed corpus is testdata/fuzz/FuzzParse; the repo's
// configs/*.yaml are added as seeds too.
func FuzzParse(f *testing.F) {
	f.Add([]byte("name: x\noptim:\n  lr: 0.05\n"), "optim.wd=0.01")
	f.Add([]byte(""), "model.blocks=[1,1]")
	paths, _ := filepath.Glob(filepath.Join("..", "..", "configs", "*.yaml"))
	for _, p := range paths {
		if raw, err := os.ReadFile(p); err == nil {
			f.Add(raw, "")
		}
	}
	f.Fuzz(func(t *testing.T, raw []byte, set string) {
		var sets []string
		if set != "" {
			sets = []string{set}
		}
		cfg, err := Parse(raw, "fuzz.yaml", sets)
		if err != nil {
			var ce *InputError
			if !errors.As(err, &ce) {
				t.Fatalf("error %v (%T) is not a *config.InputError", err, err)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("error message spans lines: %q", err)
			}
			return
		}
		if verr := cfg.Validate(); verr != nil {
			t.Fatalf("Parse accepted a config that Validate rejects: %v", verr)
		}
		out := cfg.Marshal()
		back, err := Parse(out, "config.yaml", nil)
		if err != nil {
			t.Fatalf("marshalled config does not parse back: %v\n%s", err, out)
		}
		if again := back.Marshal(); !bytes.Equal(again, out) {
			t.Fatalf("marshal/parse round trip changed the config:\n%s\n---\n%s", out, again)
		}
	})
}
