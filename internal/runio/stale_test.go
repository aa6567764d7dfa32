package runio

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// Only WriteFileAtomic's temporary names are removed.
func TestRemoveStaleTemps(t *testing.T) {
	dir := t.TempDir()
	names := []string{".last.safetensors.tmp123", ".config.yaml.tmp9", "last.safetensors", ".tmp1", ".notes.tmpx", "a.tmp12", ".x.tmp"}
	for _, n := range names {
		if err := os.WriteFile(filepath.Join(dir, n), []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Mkdir(filepath.Join(dir, ".sub.tmp5"), 0o755); err != nil {
		t.Fatal(err)
	}
	n, err := RemoveStaleTemps(dir)
	if err != nil || n != 2 {
		t.Fatalf("removed %d (%v), want 2", n, err)
	}
	var left []string
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		left = append(left, e.Name())
	}
	want := []string{".notes.tmpx", ".sub.tmp5", ".tmp1", ".x.tmp", "a.tmp12", "last.safetensors"}
	if !slices.Equal(left, want) {
		t.Errorf("left %v, want %v", left, want)
	}
	// A real leftover: the name WriteFileAtomic's pattern produces.
	f, err := os.CreateTemp(dir, ".last.safetensors.tmp*")
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	if n, _ := RemoveStaleTemps(dir); n != 1 {
		t.Errorf("CreateTemp leftover %s not removed", filepath.Base(f.Name()))
	}
}
