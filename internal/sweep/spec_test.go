package sweep

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"wdlab/internal/config"
)

// writeSweep writes base.yaml and a sweep file with the given content into
// a fresh directory and returns the sweep file's path.
func writeSweep(t *testing.T, content string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "base.yaml"), []byte("optim:\n  lr: 0.1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, "lrwd.yaml")
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestLoadValid(t *testing.T) {
	p := writeSweep(t, `
base: base.yaml
set: {epochs: 3, optim.momentum: 0}
grid:
  optim.wd: [0, 5e-4]
  optim.lr: [0.01, 0.1, "0.3"]
workers: 2
`)
	sw, err := Load(p)
	if err != nil {
		t.Fatal(err)
	}
	if sw.Name != "lrwd" || sw.Workers != 2 || sw.Base != filepath.Join(filepath.Dir(p), "base.yaml") || sw.Path != p {
		t.Errorf("sweep %+v", sw)
	}
	if len(sw.Set) != 2 || sw.Set[0] != (Override{"epochs", "3"}) || sw.Set[1] != (Override{"optim.momentum", "0"}) {
		t.Errorf("set %v", sw.Set)
	}
	if len(sw.Grid) != 2 || sw.Grid[0].Key != "optim.lr" || strings.Join(sw.Grid[1].Values, " ") != "0 5e-4" {
		t.Errorf("grid %v (want keys sorted, values as written)", sw.Grid)
	}
	if sw.NumCells() != 6 {
		t.Errorf("%d cells, want 6", sw.NumCells())
	}
}

// A fixed override may be a list (model.blocks): it becomes flow YAML that
// `wdlab train --set` parses back to the same list.
func TestSetAcceptsLists(t *testing.T) {
	sw, err := Load(writeSweep(t, "base: base.yaml\nset:\n  model.blocks: [2, 2, 2, 2]\n  optim.wd_include: [\"c_attn\", \"a,b\"]\ngrid: {optim.lr: [0.1]}\n"))
	if err != nil {
		t.Fatal(err)
	}
	want := []Override{{"model.blocks", "[2, 2, 2, 2]"}, {"optim.wd_include", `["c_attn", "a,b"]`}}
	if len(sw.Set) != 2 || sw.Set[0] != want[0] || sw.Set[1] != want[1] {
		t.Fatalf("set %v, want %v", sw.Set, want)
	}
	c, err := config.Parse([]byte("model: {arch: preact-resnet}\n"), "x", []string{sw.Set[0].String(), sw.Set[1].String()})
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Model.Blocks) != 4 || c.Model.Blocks[3] != 2 || len(c.Optim.WDInclude) != 2 || c.Optim.WDInclude[1] != "a,b" {
		t.Errorf("parsed back: blocks %v, wd_include %q", c.Model.Blocks, c.Optim.WDInclude)
	}
	if _, err := Load(writeSweep(t, "base: base.yaml\nset: {model.blocks: [[1], 2]}\ngrid: {optim.lr: [0.1]}\n")); err == nil {
		t.Error("nested list: no error")
	}
}

func TestLoadStrictErrors(t *testing.T) {
	cases := map[string]string{
		"unknown key":        "base: base.yaml\ngrid: {a: [1]}\nseeds: 3\n",
		"missing base":       "grid: {a: [1]}\n",
		"base not found":     "base: nope.yaml\ngrid: {a: [1]}\n",
		"missing grid":       "base: base.yaml\n",
		"empty grid":         "base: base.yaml\ngrid: {}\n",
		"empty grid list":    "base: base.yaml\ngrid: {a: []}\n",
		"grid not a list":    "base: base.yaml\ngrid: {a: 1}\n",
		"nested value":       "base: base.yaml\ngrid: {a: [[1, 2]]}\n",
		"repeated value":     "base: base.yaml\ngrid: {a: [1, 1]}\n",
		"duplicate key":      "base: base.yaml\nbase: base.yaml\ngrid: {a: [1]}\n",
		"fixed and swept":    "base: base.yaml\nset: {a: 1}\ngrid: {a: [1, 2]}\n",
		"bad key":            "base: base.yaml\ngrid: {\"a=b\": [1]}\n",
		"zero workers":       "base: base.yaml\ngrid: {a: [1]}\nworkers: 0\n",
		"not a mapping":      "- base\n",
		"set value is a map": "base: base.yaml\nset: {b: {c: 1}}\ngrid: {a: [1]}\n",
		"invalid yaml":       "base: [\n",
		"too many cells":     "base: base.yaml\ngrid: {a: [" + strings.Repeat("1,", 0) + nums(400) + "], b: [" + nums(400) + "]}\n",
	}
	for name, content := range cases {
		_, err := Load(writeSweep(t, content))
		var ce *config.InputError
		if !errors.As(err, &ce) {
			t.Errorf("%s: want a *config.InputError, got %v", name, err)
			continue
		}
		if strings.Contains(err.Error(), "\n") || !strings.Contains(err.Error(), "lrwd.yaml") {
			t.Errorf("%s: want one line naming the file, got %q", name, err)
		}
	}
	if _, err := Load(filepath.Join(t.TempDir(), "missing.yaml")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing sweep file: %v", err)
	}
}

// nums returns "0,1,...,n-1".
func nums(n int) string {
	s := make([]string, n)
	for i := range s {
		s[i] = strconv.Itoa(i)
	}
	return strings.Join(s, ",")
}
