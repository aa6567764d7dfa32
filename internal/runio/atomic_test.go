package runio

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// entries lists the names in dir.
func entries(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names
}

func TestWriteFileAtomicReplaces(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "a.txt")
	if err := WriteFileAtomic(p, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := WriteFileAtomic(p, []byte("new content"), 0o640); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(p)
	if err != nil || string(got) != "new content" {
		t.Fatalf("got %q, %v", got, err)
	}
	st, _ := os.Stat(p)
	if st.Mode().Perm() != 0o640 {
		t.Errorf("perm %v, want 0640", st.Mode().Perm())
	}
	if names := entries(t, dir); len(names) != 1 {
		t.Errorf("directory holds %v, want only a.txt", names)
	}
}

func TestWriteFileAtomicMissingDir(t *testing.T) {
	p := filepath.Join(t.TempDir(), "nope", "a.txt")
	err := WriteFileAtomic(p, []byte("x"), 0o644)
	if err == nil || !strings.Contains(err.Error(), p) || strings.Contains(err.Error(), "\n") {
		t.Fatalf("want a one-line error naming %s, got %v", p, err)
	}
}

func TestWriteFileAtomicUnwritableDir(t *testing.T) {
	if os.Geteuid() == 0 {
		// Root ignores permission bits; /proc refuses new files even to root.
		if _, err := os.Stat("/proc/self"); err != nil {
			t.Skip("root ignores directory permissions and there is no /proc")
		}
		p := "/proc/wdlab-atomic-test"
		if err := WriteFileAtomic(p, []byte("x"), 0o644); err == nil || !strings.Contains(err.Error(), p) {
			t.Fatalf("want an error naming %s, got %v", p, err)
		}
		return
	}
	dir := t.TempDir()
	if err := os.Chmod(dir, 0o555); err != nil {
		t.Fatal(err)
	}
	defer os.Chmod(dir, 0o755)
	p := filepath.Join(dir, "a.txt")
	if err := WriteFileAtomic(p, []byte("x"), 0o644); err == nil || !strings.Contains(err.Error(), p) {
		t.Fatalf("want an error naming %s, got %v", p, err)
	}
	if names := entries(t, dir); len(names) != 0 {
		t.Errorf("left behind %v", names)
	}
}

// A failure after the temporary file exists (here: the target is a
// non-empty directory, so the rename fails) must remove the temporary file.
func TestWriteFileAtomicCleansUpOnRenameFailure(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "target")
	if err := os.MkdirAll(filepath.Join(target, "child"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := WriteFileAtomic(target, []byte("x"), 0o644); err == nil {
		t.Fatal("want an error when the target is a directory")
	}
	if names := entries(t, dir); len(names) != 1 || names[0] != "target" {
		t.Errorf("directory holds %v, want only target", names)
	}
}

func TestWriteJSONAtomic(t *testing.T) {
	p := filepath.Join(t.TempDir(), "x.json")
	if err := WriteJSONAtomic(p, map[string]int{"b": 2, "a": 1}); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(p)
	if string(data) != "{\n  \"a\": 1,\n  \"b\": 2\n}\n" {
		t.Errorf("got %q", data)
	}
	var back map[string]int
	if err := json.Unmarshal(data, &back); err != nil || back["b"] != 2 {
		t.Errorf("round trip: %v %v", back, err)
	}
	if err := WriteJSONAtomic(p, func() {}); err == nil {
		t.Error("want an error for an unencodable value")
	}
}
