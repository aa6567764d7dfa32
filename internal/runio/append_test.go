package runio

import (
	"os"
	"path/filepath"
	"testing"
)

func TestAppendLine(t *testing.T) {
	p := filepath.Join(t.TempDir(), "m.jsonl")
	for _, l := range []string{`{"step":1}`, `{"step":2}`} {
		if err := AppendLine(p, []byte(l)); err != nil {
			t.Fatal(err)
		}
	}
	got, _ := os.ReadFile(p)
	if string(got) != "{\"step\":1}\n{\"step\":2}\n" {
		t.Errorf("got %q", got)
	}
	if err := AppendLine(p, []byte("a\nb")); err == nil {
		t.Error("want an error for a line holding a newline")
	}
	if err := AppendLine(filepath.Join(p, "sub"), []byte("x")); err == nil {
		t.Error("want an error when the parent is a file")
	}
}
