package data

import (
	"bytes"
	"slices"
	"testing"
)

// The fuzz targets feed arbitrary bytes to the parsers: they must never
// panic, and whatever they accept must be consistent with the input.
// Seed corpora live in testdata/fuzz/<Name>/.

func FuzzIDXImages(f *testing.F) {
	f.Fuzz(func(t *testing.T, in []byte) {
		n, rows, cols, pix, err := ReadIDXImages(bytes.NewReader(in))
		if err != nil {
			return
		}
		if n < 1 || rows < 1 || cols < 1 || len(pix) != n*rows*cols {
			t.Fatalf("accepted n=%d rows=%d cols=%d with %d pixels", n, rows, cols, len(pix))
		}
		if in[0] != 0x1f && !bytes.Equal(pix, in[16:]) {
			t.Fatal("raw input: pixels are not the bytes after the 16-byte header")
		}
	})
}

func FuzzIDXLabels(f *testing.F) {
	f.Fuzz(func(t *testing.T, in []byte) {
		labels, err := ReadIDXLabels(bytes.NewReader(in))
		if err != nil {
			return
		}
		if len(labels) < 1 {
			t.Fatal("accepted an empty label file")
		}
		if in[0] != 0x1f && !bytes.Equal(labels, in[8:]) {
			t.Fatal("raw input: labels are not the bytes after the 8-byte header")
		}
	})
}

// fuzzSide is the image side FuzzCIFAR decodes: 2x2x3 images keep records
// at 13-14 bytes, so the fuzzer explores record structure instead of
// spending its time on 3 KiB inputs (the code path is the one for 32x32).
const fuzzSide = 2

func FuzzCIFAR(f *testing.F) {
	f.Fuzz(func(t *testing.T, in []byte, hundred bool) {
		classes, nlab := 10, 1
		if hundred {
			classes, nlab = 100, 2
		}
		n, pix, labels, err := decodeCIFAR(in, classes, fuzzSide)
		if err != nil {
			return
		}
		plane := fuzzSide * fuzzSide
		rec := nlab + 3*plane
		if n < 1 || len(in) != n*rec || len(pix) != n*3*plane || len(labels) != n {
			t.Fatalf("accepted %d input bytes as n=%d, %d pixels, %d labels", len(in), n, len(pix), len(labels))
		}
		// Re-encoding the NHWC pixels as CHW planes must give back the input.
		for i := range n {
			r := in[i*rec : (i+1)*rec]
			if int(labels[i]) >= classes || labels[i] != r[nlab-1] || (hundred && r[0] >= cifarCoarse) {
				t.Fatalf("record %d: accepted label bytes %v, returned label %d", i, r[:nlab], labels[i])
			}
			for p := range plane {
				for c := range 3 {
					if pix[(i*plane+p)*3+c] != r[nlab+c*plane+p] {
						t.Fatalf("record %d: pixel %d channel %d moved", i, p, c)
					}
				}
			}
		}
	})
}

func FuzzNPYHeader(f *testing.F) {
	f.Fuzz(func(t *testing.T, in []byte) {
		h, err := ReadNPYHeader(bytes.NewReader(in))
		if err != nil {
			return
		}
		if h.HeaderLen > len(in) || h.ItemSize != npyItemSize[h.Descr] || h.ItemSize == 0 || h.Elems() < 0 || h.Elems() > npyMaxElems {
			t.Fatalf("accepted %+v from %d bytes", h, len(in))
		}
		// The canonical encoding of what was accepted parses to the same header.
		again, err := ReadNPYHeader(bytes.NewReader(npyBytes(2, h.Descr, h.Shape, nil)))
		if err != nil || again.Descr != h.Descr || !slices.Equal(again.Shape, h.Shape) {
			t.Fatalf("re-encoded %+v: got %+v, %v", h, again, err)
		}
	})
}
