package data

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// idxBytes encodes an unsigned-byte IDX file with the given dimensions.
func idxBytes(body []byte, dims ...uint32) []byte {
	b := binary.BigEndian.AppendUint32(nil, 0x0800|uint32(len(dims)))
	for _, d := range dims {
		b = binary.BigEndian.AppendUint32(b, d)
	}
	return append(b, body...)
}

// gzipBytes compresses b.
func gzipBytes(t testing.TB, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// cifarPix is the known pixel value of image n at (y, x, c) in the test files.
func cifarPix(n, y, x, c int) uint8 { return uint8(n*37 + c*71 + y*5 + x) }

// cifarRecord encodes image n in the official CIFAR binary layout: the label
// bytes, then the R, G and B planes, each row-major.
func cifarRecord(n int, labelBytes ...uint8) []byte {
	b := append([]byte(nil), labelBytes...)
	for c := range 3 {
		for y := range cifarSide {
			for x := range cifarSide {
				b = append(b, cifarPix(n, y, x, c))
			}
		}
	}
	return b
}

// writeFile writes b to dir/name.
func writeFile(t *testing.T, dir, name string, b []byte) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// wantErr fails unless err is non-nil and contains every fragment.
func wantErr(t *testing.T, err error, fragments ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("got nil error, want one containing %q", fragments)
	}
	for _, f := range fragments {
		if !strings.Contains(err.Error(), f) {
			t.Fatalf("error %q does not contain %q", err, f)
		}
	}
}
