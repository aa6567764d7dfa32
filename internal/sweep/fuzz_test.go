package sweep

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"wdlab/internal/config"
)

// FuzzSweepParse feeds arbitrary bytes to Parse as a sweep file that sits
// next to a base.yaml. Parse must never panic; it either fails with a
// one-line *config.InputError or returns a sweep whose grid is non-empty and
// within maxCells, whose cells are well formed key=value overrides, and
// whose cell directory names cannot escape the sweep's output directory.
// The committed corpus is testdata/fuzz/FuzzSweepParse.
func FuzzSweepParse(f *testing.F) {
	dir := f.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "base.yaml"), []byte("optim:\n  lr: 0.1\n"), 0o644); err != nil {
		f.Fatal(err)
	}
	path := filepath.Join(dir, "sweep.yaml")
	f.Add([]byte("base: base.yaml\ngrid:\n  optim.lr: [0.1, 0.2]\n  optim.wd: [0, 5e-4]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		sw, err := Parse(data, path)
		if err != nil {
			var ce *config.InputError
			if !errors.As(err, &ce) {
				t.Fatalf("error %v (%T) is not a *config.InputError", err, err)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("error message spans lines: %q", err)
			}
			return
		}
		n := sw.NumCells()
		if len(sw.Grid) == 0 || n < 1 || n > maxCells {
			t.Fatalf("accepted a grid of %d axes and %d cells", len(sw.Grid), n)
		}
		if st, err := os.Stat(sw.Base); err != nil || st.IsDir() {
			t.Fatalf("accepted base %q that is not a file", sw.Base)
		}
		for _, i := range []int{0, n - 1} {
			c, err := sw.Cell(i)
			if err != nil {
				t.Fatalf("cell %d of %d: %v", i, n, err)
			}
			for _, s := range sw.Overrides(c) {
				if k, _, ok := strings.Cut(s, "="); !ok || k == "" || strings.ContainsAny(k, " \t\n") {
					t.Fatalf("cell %d: malformed override %q", i, s)
				}
			}
			name := c.Name()
			if strings.ContainsAny(name, "/\\\x00") || strings.HasPrefix(name, ".") {
				t.Fatalf("cell %d: directory name %q could escape the output directory", i, name)
			}
		}
	})
}
