package tboard

import (
	"bytes"
	"encoding/binary"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

func TestCRC32CKnownAnswers(t *testing.T) {
	check := []byte("123456789")
	if got := crc32cRef(check); got != 0xe3069283 {
		t.Fatalf("reference CRC32C = %#x, want 0xe3069283", got)
	}
	// ((0xe3069283>>15)|(0xe3069283<<17)) + 0xa282ead8, by hand:
	// 0x0001c60d | 0x25060000 = 0x2507c60d; + 0xa282ead8 = 0xc78ab0e5.
	if got := MaskedCRC(check); got != 0xc78ab0e5 {
		t.Errorf("MaskedCRC = %#x, want 0xc78ab0e5", got)
	}
	for _, s := range []string{"", "a", "brain.Event:2", strings.Repeat("xyz", 1000)} {
		if got, want := MaskedCRC([]byte(s)), maskRef(crc32cRef([]byte(s))); got != want {
			t.Errorf("MaskedCRC(%.10q) = %#x, want %#x", s, got, want)
		}
	}
}

func TestScalarEventBytes(t *testing.T) {
	got := ScalarEvent(1.5, 3, "a", 2)
	want := []byte{
		0x09, 0, 0, 0, 0, 0, 0, 0xf8, 0x3f, // wall_time 1.5
		0x10, 0x03, // step 3
		0x2a, 0x0a, // summary, 10 bytes
		0x0a, 0x08, // value, 8 bytes
		0x0a, 0x01, 'a', // tag "a"
		0x15, 0, 0, 0, 0x40, // simple_value 2.0f
	}
	if !bytes.Equal(got, want) {
		t.Errorf("got % x\nwant % x", got, want)
	}
}

func TestWriteRecordFraming(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteRecord(&buf, []byte("hello")); err != nil {
		t.Fatal(err)
	}
	b := buf.Bytes()
	if len(b) != 8+4+5+4 || binary.LittleEndian.Uint64(b) != 5 || string(b[12:17]) != "hello" {
		t.Fatalf("bad frame % x", b)
	}
}

func TestWriterRoundTrip(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "tb")
	w, err := NewWriter(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`^events\.out\.tfevents\.\d+\..+$`).MatchString(filepath.Base(w.Path())) {
		t.Errorf("file name %s", filepath.Base(w.Path()))
	}
	w2, err := NewWriter(dir) // same second: must not clobber the first
	if err != nil {
		t.Fatal(err)
	}
	if w2.Path() == w.Path() {
		t.Error("two writers share a file")
	}
	w2.Close()
	wall := time.Unix(1700000000, 250_000_000)
	if err := w.Scalar("test_err", 10, 0.125, wall); err != nil {
		t.Fatal(err)
	}
	if err := w.Scalar("loss/train", -7, -3.5, wall); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	recs := readRecords(t, w.Path())
	if len(recs) != 3 {
		t.Fatalf("%d records, want 3", len(recs))
	}
	if e := decodeEvent(t, recs[0]); e.version != "brain.Event:2" || e.nvalues != 0 || e.wall < 1.6e9 {
		t.Errorf("first event %+v", e)
	}
	e := decodeEvent(t, recs[1])
	if e.tag != "test_err" || e.step != 10 || e.value != 0.125 || e.wall != 1700000000.25 || e.nvalues != 1 {
		t.Errorf("scalar event %+v", e)
	}
	if e := decodeEvent(t, recs[2]); e.tag != "loss/train" || e.step != -7 || e.value != -3.5 {
		t.Errorf("negative step event %+v", e)
	}
}

func TestExportRun(t *testing.T) {
	run := t.TempDir()
	metrics := `{"step":100,"epoch":1,"test_err":0.5,"wall_s":1}
{"step":200,"epoch":2,"test_err":0.25,"train_ce":"NaN","wall_s":3}
`
	if err := os.WriteFile(filepath.Join(run, "metrics.jsonl"), []byte(metrics), 0o644); err != nil {
		t.Fatal(err)
	}
	for range 2 { // exporting twice replaces the first export
		if err := ExportRun(run); err != nil {
			t.Fatal(err)
		}
	}
	files, _ := filepath.Glob(filepath.Join(run, TBDir, "events.out.tfevents.*"))
	if len(files) != 1 {
		t.Fatalf("event files %v, want exactly one", files)
	}
	recs := readRecords(t, files[0])
	type key struct {
		tag  string
		step int64
	}
	got := map[key]event{}
	for _, r := range recs[1:] {
		e := decodeEvent(t, r)
		got[key{e.tag, e.step}] = e
	}
	if len(got) != 7 { // epoch, test_err, wall_s at 100; + train_ce at 200
		t.Errorf("%d scalars, want 7: %v", len(got), got)
	}
	if e := got[key{"test_err", 200}]; e.value != 0.25 {
		t.Errorf("test_err@200 = %v", e.value)
	}
	if e := got[key{"train_ce", 200}]; !math.IsNaN(float64(e.value)) {
		t.Errorf("train_ce@200 = %v, want NaN", e.value)
	}
	if d := got[key{"epoch", 200}].wall - got[key{"epoch", 100}].wall; math.Abs(d-2) > 1e-6 {
		t.Errorf("wall times %v apart, want 2 s", d)
	}
	if err := ExportRun(filepath.Join(run, "missing")); err == nil {
		t.Error("want an error for a run without metrics")
	}
}
