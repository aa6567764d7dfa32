package tokens

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestPrepareSplitAndMeta(t *testing.T) {
	dir := t.TempDir()
	info, err := Prepare("abcdefghij", Byte{}, 0.25, dir, FormatLLMC)
	if err != nil {
		t.Fatal(err)
	}
	want := PrepareInfo{Tokenizer: "byte", VocabSize: 256, TrainTokens: 8, ValTokens: 2, Format: FormatLLMC}
	if info != want {
		t.Fatalf("info = %+v, want %+v", info, want)
	}
	train, format, err := Read(filepath.Join(dir, "train.bin"))
	if err != nil || format != FormatLLMC || string(u16bytes(train)) != "abcdefgh" {
		t.Fatalf("train.bin = %q (%s, %v)", u16bytes(train), format, err)
	}
	val, _, err := Read(filepath.Join(dir, "val.bin"))
	if err != nil || string(u16bytes(val)) != "ij" {
		t.Fatalf("val.bin = %q (%v): want the last tokens", u16bytes(val), err)
	}
	meta, err := ReadMeta(dir)
	if err != nil || meta != want {
		t.Fatalf("ReadMeta = %+v, %v", meta, err)
	}
}

func TestPrepareDeterministic(t *testing.T) {
	tok, err := NewGPT2()
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Repeat("In the beginning God created the heaven and the earth.\n", 50)
	d1, d2 := t.TempDir(), t.TempDir()
	for _, d := range []string{d1, d2} {
		if _, err := Prepare(text, tok, 0.1, d, FormatNanoGPT); err != nil {
			t.Fatal(err)
		}
	}
	for _, name := range []string{"train.bin", "val.bin", "meta.json"} {
		a, err1 := os.ReadFile(filepath.Join(d1, name))
		b, err2 := os.ReadFile(filepath.Join(d2, name))
		if err1 != nil || err2 != nil || !bytes.Equal(a, b) || len(a) == 0 {
			t.Fatalf("%s differs between two runs (or is missing): %v %v", name, err1, err2)
		}
	}
	toks, _, _ := Read(filepath.Join(d1, "train.bin"))
	if !slices.Equal(toks[:3], []uint16{818, 262, 3726}) {
		t.Fatalf("train.bin starts with %v, want GPT-2 ids of 'In the beginning'", toks[:3])
	}
}

func TestPrepareRejectsBadInput(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		text, format string
		val          float64
	}{{"abc", FormatNanoGPT, 1}, {"abc", FormatNanoGPT, -0.1}, {"abc", "npy", 0.1}, {"", FormatNanoGPT, 0.1}} {
		if _, err := Prepare(c.text, Byte{}, c.val, dir, c.format); err == nil {
			t.Errorf("Prepare(%q, val %v, %s) succeeded", c.text, c.val, c.format)
		}
	}
}

func TestKJVText(t *testing.T) {
	if _, err := exec.LookPath("bible"); err != nil {
		t.Skip("bible (Debian bible-kjv) not installed")
	}
	text, err := KJVText()
	if err != nil {
		t.Fatal(err)
	}
	if len(text) < 4_200_000 || len(text) > 4_400_000 {
		t.Fatalf("KJV text has %d bytes, want about 4.3 MB", len(text))
	}
	if !strings.Contains(text[:200], "In the beginning God created the heaven and the earth.") {
		t.Fatalf("KJV text does not start with Genesis 1:1: %q", text[:200])
	}
}

func u16bytes(toks []uint16) []byte {
	b := make([]byte, len(toks))
	for i, v := range toks {
		b[i] = byte(v)
	}
	return b
}
