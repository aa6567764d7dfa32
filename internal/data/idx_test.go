package data

import (
	"bytes"
	"math"
	"runtime"
	"slices"
	"testing"
)

func TestReadIDXImagesKnownAnswer(t *testing.T) {
	body := []byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 255}
	raw := idxBytes(body, 2, 2, 3)
	for name, in := range map[string][]byte{"raw": raw, "gzip": gzipBytes(t, raw)} {
		n, rows, cols, pix, err := ReadIDXImages(bytes.NewReader(in))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if n != 2 || rows != 2 || cols != 3 || !bytes.Equal(pix, body) {
			t.Errorf("%s: got n=%d rows=%d cols=%d pix=%v, want 2 2 3 %v", name, n, rows, cols, pix, body)
		}
	}
}

func TestReadIDXLabelsKnownAnswer(t *testing.T) {
	raw := idxBytes([]byte{9, 0, 3}, 3)
	for name, in := range map[string][]byte{"raw": raw, "gzip": gzipBytes(t, raw)} {
		got, err := ReadIDXLabels(bytes.NewReader(in))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !slices.Equal(got, []uint8{9, 0, 3}) {
			t.Errorf("%s: got %v, want [9 0 3]", name, got)
		}
	}
}

func TestReadIDXImagesErrors(t *testing.T) {
	good := idxBytes(make([]byte, 8), 2, 2, 2)
	truncGzip := gzipBytes(t, good)
	truncGzip = truncGzip[:len(truncGzip)-6]
	cases := []struct {
		name string
		in   []byte
		want string
	}{
		{"empty", nil, "truncated header"},
		{"short header", good[:10], "truncated header"},
		{"labels magic", idxBytes([]byte{1}, 1), "bad magic 0x00000801"},
		{"signed bytes", append([]byte{0, 0, 9, 3}, good[4:]...), "bad magic 0x00000903"},
		{"zero rows", idxBytes(nil, 2, 0, 2), "dimension 1 is zero"},
		{"short data", good[:len(good)-1], "need 8 data bytes, got 7"},
		{"trailing data", append(good, 0), "trailing bytes"},
		{"overflow", idxBytes(nil, 0xffffffff, 0xffffffff, 0xffffffff), "overflow"},
		{"corrupt gzip", truncGzip, "IDX images"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, _, _, pix, err := ReadIDXImages(bytes.NewReader(c.in))
			wantErr(t, err, c.want)
			if pix != nil {
				t.Errorf("pix = %d bytes on error, want nil", len(pix))
			}
		})
	}
}

func TestReadIDXLabelsErrors(t *testing.T) {
	cases := []struct {
		name string
		in   []byte
		want string
	}{
		{"images magic", idxBytes(make([]byte, 4), 1, 2, 2), "bad magic 0x00000803"},
		{"short data", idxBytes([]byte{1, 2}, 3), "need 3 data bytes, got 2"},
		{"zero count", idxBytes(nil, 0), "dimension 0 is zero"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ReadIDXLabels(bytes.NewReader(c.in))
			wantErr(t, err, c.want)
		})
	}
}

// A header claiming ~4e9 images of 28x28 with 10 bytes of data must fail
// without allocating anywhere near the claimed size.
func TestReadIDXImagesAbsurdHeaderAllocatesLittle(t *testing.T) {
	in := idxBytes(make([]byte, 10), math.MaxUint32, 28, 28)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, _, _, _, err := ReadIDXImages(bytes.NewReader(in))
	runtime.ReadMemStats(&after)
	wantErr(t, err, "truncated", "got 10")
	if got := after.TotalAlloc - before.TotalAlloc; got > 1<<20 {
		t.Errorf("allocated %d bytes for a 10-byte body", got)
	}
}
