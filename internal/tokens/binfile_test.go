package tokens

import (
	"bytes"
	"encoding/binary"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestNanoGPTBytesKnownAnswer(t *testing.T) {
	b, err := Encode([]uint16{1, 258, 50256}, FormatNanoGPT)
	if err != nil {
		t.Fatal(err)
	}
	want := []byte{1, 0, 2, 1, 0x50, 0xC4}
	if !bytes.Equal(b, want) {
		t.Fatalf("nanoGPT bytes = % x, want % x", b, want)
	}
}

func TestLLMCHeaderLayout(t *testing.T) {
	b, err := Encode([]uint16{7, 65535}, FormatLLMC)
	if err != nil {
		t.Fatal(err)
	}
	if len(b) != 1024+4 {
		t.Fatalf("llm.c file has %d bytes, want 1028", len(b))
	}
	le := binary.LittleEndian
	if le.Uint32(b) != 20240520 || le.Uint32(b[4:]) != 1 || le.Uint32(b[8:]) != 2 {
		t.Fatalf("header = %d %d %d, want 20240520 1 2", le.Uint32(b), le.Uint32(b[4:]), le.Uint32(b[8:]))
	}
	for i := 12; i < 1024; i++ {
		if b[i] != 0 {
			t.Fatalf("header byte %d = %d, want 0", i, b[i])
		}
	}
	if !bytes.Equal(b[1024:], []byte{7, 0, 0xFF, 0xFF}) {
		t.Fatalf("token bytes = % x", b[1024:])
	}
}

func TestReadWriteRoundTrip(t *testing.T) {
	dir := t.TempDir()
	toks := []uint16{0, 1, 2, 65535, 50256, 42}
	for _, f := range []string{FormatNanoGPT, FormatLLMC} {
		path := filepath.Join(dir, f+".bin")
		if err := Write(path, toks, f); err != nil {
			t.Fatal(err)
		}
		got, format, err := Read(path)
		if err != nil {
			t.Fatal(err)
		}
		if format != f || !slices.Equal(got, toks) {
			t.Fatalf("%s round trip: got %v (%s), want %v", f, got, format, toks)
		}
		// Overwriting is atomic: the old content is replaced, no temp file stays.
		if err := Write(path, toks[:2], f); err != nil {
			t.Fatal(err)
		}
		if got, _, _ := Read(path); !slices.Equal(got, toks[:2]) {
			t.Fatalf("%s after overwrite: %v", f, got)
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2 {
		t.Fatalf("directory holds %d entries, want 2 (no temp files)", len(entries))
	}
}

func TestCorruptTokenFiles(t *testing.T) {
	good, _ := Encode([]uint16{1, 2, 3}, FormatLLMC)
	badVersion := slices.Clone(good)
	binary.LittleEndian.PutUint32(badVersion[4:], 2)
	badCount := slices.Clone(good)
	binary.LittleEndian.PutUint32(badCount[8:], 4)
	negCount := slices.Clone(good)
	binary.LittleEndian.PutUint32(negCount[8:], 0xFFFFFFFF)
	cases := []struct {
		name string
		data []byte
		msg  string
	}{
		{"odd", []byte{1, 0, 2}, "odd number of bytes"},
		{"short header", good[:100], "shorter"},
		{"version", badVersion, "version 2"},
		{"count", badCount, "says 4 tokens"},
		{"negative count", negCount, "says -1 tokens"},
		{"truncated body", good[:len(good)-1], "says 3 tokens"},
	}
	dir := t.TempDir()
	for _, c := range cases {
		path := filepath.Join(dir, c.name+".bin")
		if err := os.WriteFile(path, c.data, 0o644); err != nil {
			t.Fatal(err)
		}
		_, _, err := Read(path)
		if err == nil || !strings.Contains(err.Error(), c.msg) || !strings.Contains(err.Error(), path) {
			t.Errorf("%s: error %v, want one naming the file and containing %q", c.name, err, c.msg)
		}
	}
	if _, _, err := Read(filepath.Join(dir, "missing.bin")); !os.IsNotExist(err) {
		t.Errorf("missing file: %v, want a not-exist error", err)
	}
	if err := Write(filepath.Join(dir, "x.bin"), nil, "npy"); err == nil {
		t.Error("unknown format accepted")
	}
}
