package data

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"errors"
	"io/fs"
	"path/filepath"
	"slices"
	"testing"
)

// npzEntry is one array of a test .npz: its name, .npy bytes and zip method.
type npzEntry struct {
	name   string
	npy    []byte
	method uint16 // zip.Store or zip.Deflate
}

// npzBytes writes a zip archive as np.savez does (np.savez_compressed when
// the entries are deflated).
func npzBytes(t *testing.T, entries ...npzEntry) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: e.name, Method: e.method})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(e.npy); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// c5mPix is the known pixel value of image n (global index) at HWC offset p.
func c5mPix(n, p int) uint8 { return uint8(n*31 + p*7) }

// c5mPart encodes images first..first+len(labels)-1 as a CIFAR-5m part:
// X uint8 [N,32,32,3] and Y as int64 (wide) or uint8 labels.
func c5mPart(t *testing.T, first int, labels []int, wide bool, xMethod, yMethod uint16) []byte {
	t.Helper()
	n := len(labels)
	x := make([]byte, n*cifar5mRecord)
	for i := range x {
		x[i] = c5mPix(first+i/cifar5mRecord, i%cifar5mRecord)
	}
	var y []byte
	descr := "|u1"
	for _, l := range labels {
		if wide {
			y = binary.LittleEndian.AppendUint64(y, uint64(l))
		} else {
			y = append(y, uint8(l))
		}
	}
	if wide {
		descr = "<i8"
	}
	return npzBytes(t,
		npzEntry{"X.npy", npyBytes(1, "|u1", []int{n, 32, 32, 3}, x), xMethod},
		npzEntry{"Y.npy", npyBytes(1, descr, []int{n}, y), yMethod})
}

// twoEach is 20 labels: 0..9, then 0..9 again.
func twoEach() []int {
	var l []int
	for k := range 20 {
		l = append(l, k%10)
	}
	return l
}

// checkC5m checks that example i of d is global image src with label y.
func checkC5m(t *testing.T, d *Dataset, i, src int, y int32) {
	t.Helper()
	if d.Y[i] != y {
		t.Fatalf("example %d: label %d, want %d", i, d.Y[i], y)
	}
	for _, p := range []int{0, 1, 2, 100, cifar5mRecord - 1} {
		if got, want := d.X[i*cifar5mRecord+p], float32(c5mPix(src, p)); got != want {
			t.Fatalf("example %d (image %d) value %d = %v, want %v", i, src, p, got, want)
		}
	}
}

func TestLoadCIFAR5m(t *testing.T) {
	dir := t.TempDir()
	for k := range 5 { // parts 0..4: two, three, ... images; deflated and stored, int64 and uint8 labels
		labels := []int{}
		for j := range k + 2 {
			labels = append(labels, (k+j)%10)
		}
		xm, ym := zip.Deflate, zip.Store
		if k%2 == 1 {
			xm, ym = zip.Store, zip.Deflate
		}
		writeFile(t, dir, cifar5mPart(k), c5mPart(t, 100*k, labels, k != 3, xm, ym))
	}
	writeFile(t, dir, cifar5mPart(5), c5mPart(t, 500, []int{9, 8, 7}, true, zip.Store, zip.Store))
	train, test, err := LoadVision("cifar5m", dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if train.Name != "cifar5m" || train.N != 2+3+4+5+6 || train.H != 32 || train.W != 32 || train.C != 3 || train.Classes != 10 {
		t.Fatalf("train: %s N=%d %dx%dx%d classes=%d", train.Name, train.N, train.H, train.W, train.C, train.Classes)
	}
	checkC5m(t, train, 0, 0, 0)
	checkC5m(t, train, 2, 100, 1)  // first image of part 1
	checkC5m(t, train, 10, 301, 4) // second image of part 3 (uint8 labels)
	checkC5m(t, train, 19, 405, 9)
	if test.N != 3 || !slices.Equal(test.Y, []int32{9, 8, 7}) {
		t.Fatalf("test: N=%d Y=%v", test.N, test.Y)
	}
	checkC5m(t, test, 2, 502, 7)
}

// A per-class subset stops at the part that fills it: the missing parts
// after it are never opened.
func TestLoadCIFAR5mStopsAcrossParts(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, cifar5mPart(0), c5mPart(t, 0, twoEach(), true, zip.Deflate, zip.Deflate))
	writeFile(t, dir, cifar5mPart(5), c5mPart(t, 500, []int{1}, true, zip.Store, zip.Store))
	train, test, err := LoadVision("cifar5m", dir, Options{TrainPerClass: 2})
	if err != nil {
		t.Fatal(err)
	}
	if train.N != 20 || test.N != 1 {
		t.Fatalf("N = %d/%d, want 20/1", train.N, test.N)
	}
	checkC5m(t, train, 19, 19, 9)
	if train, err = LoadCIFAR5m(dir, true, 1); err != nil {
		t.Fatal(err)
	}
	if train.N != 10 || train.Y[9] != 9 {
		t.Fatalf("perClass 1: N=%d Y=%v", train.N, train.Y)
	}
	_, err = LoadCIFAR5m(dir, true, 0)
	wantErr(t, err, filepath.Join(dir, "cifar5m_part1.npz"), "cifar5m_part0.npz .. cifar5m_part5.npz", "set data.dir")
	if !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("missing part: %v does not wrap fs.ErrNotExist", err)
	}
}

// Inside a part, reading stops at the chunk that fills every class: a
// corrupted tail is only noticed (by the zip CRC) when the whole part is read.
func TestLoadCIFAR5mStopsInsidePart(t *testing.T) {
	defer func(c int) { cifar5mChunk = c }(cifar5mChunk)
	cifar5mChunk = 4
	dir := t.TempDir()
	b := c5mPart(t, 0, twoEach(), true, zip.Store, zip.Store)
	// The last pixel of the last image sits just before X.npy's data
	// descriptor (archive/zip writes one after each member).
	i := bytes.Index(b, []byte("PK\x07\x08"))
	b[i-1] ^= 0xff
	writeFile(t, dir, cifar5mPart(0), b)
	train, err := LoadCIFAR5m(dir, true, 1)
	if err != nil {
		t.Fatalf("perClass 1 over a corrupted tail: %v", err)
	}
	if train.N != 10 {
		t.Fatalf("perClass 1: N=%d, want 10", train.N)
	}
	_, err = LoadCIFAR5m(dir, true, 2)
	wantErr(t, err, "cifar5m_part0.npz", "X.npy", "checksum")
}

func TestLoadCIFAR5mTestDir(t *testing.T) {
	dir, c10 := t.TempDir(), t.TempDir()
	writeFile(t, dir, cifar5mPart(0), c5mPart(t, 0, twoEach(), false, zip.Store, zip.Store))
	writeCIFAR10(t, c10)
	_, test, err := LoadVision("cifar5m", dir, Options{TrainPerClass: 1, TestDir: c10})
	if err != nil {
		t.Fatal(err)
	}
	if test.Name != "cifar10" || test.N != 1 || test.X[5] != float32(cifarPix(7, 0, 1, 2)) {
		t.Fatalf("test from CIFAR-10: %s N=%d", test.Name, test.N)
	}
	_, _, err = LoadVision("cifar10", c10, Options{TestDir: c10})
	wantErr(t, err, "only supported for cifar5m")
}

func TestLoadCIFAR5mErrors(t *testing.T) {
	x := npyBytes(1, "|u1", []int{1, 32, 32, 3}, make([]byte, cifar5mRecord))
	y := npyBytes(1, "<i8", []int{1}, make([]byte, 8))
	cases := []struct {
		name string
		npz  []byte
		want string
	}{
		{"no Y", npzBytes(t, npzEntry{"X.npy", x, zip.Store}), "no Y.npy member (has [X.npy])"},
		{"no X", npzBytes(t, npzEntry{"Y.npy", y, zip.Store}), "no X.npy member"},
		{"label 10", c5mPart(t, 0, []int{10}, true, zip.Store, zip.Store), "label 10 of example 0 is outside 0..9"},
		{"label -1", c5mPart(t, 0, []int{-1}, true, zip.Store, zip.Store), "label -1"},
		{"shape", npzBytes(t, npzEntry{"X.npy", npyBytes(1, "|u1", []int{1, 3, 32, 32}, make([]byte, cifar5mRecord)), zip.Store}, npzEntry{"Y.npy", y, zip.Store}),
			"X.npy: dtype |u1 shape [1 3 32 32], want |u1 [1 32 32 3]"},
		{"count", npzBytes(t, npzEntry{"X.npy", x, zip.Store}, npzEntry{"Y.npy", npyBytes(1, "<i8", []int{2}, make([]byte, 16)), zip.Store}), "want |u1 [2 32 32 3]"},
		{"short X", npzBytes(t, npzEntry{"X.npy", x[:len(x)-1], zip.Deflate}, npzEntry{"Y.npy", y, zip.Store}), "X.npy: 3199 bytes, but its header"},
		{"Y 2-D", npzBytes(t, npzEntry{"X.npy", x, zip.Store}, npzEntry{"Y.npy", npyBytes(1, "<i8", []int{1, 1}, make([]byte, 8)), zip.Store}), "Y.npy: shape [1 1], want one dimension"},
		{"Y float", npzBytes(t, npzEntry{"X.npy", x, zip.Store}, npzEntry{"Y.npy", npyBytes(1, "<f8", []int{1}, make([]byte, 8)), zip.Store}), `Y.npy: npy: header`},
		{"not a zip", []byte("not a zip file"), "zip"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			writeFile(t, dir, cifar5mPart(0), c.npz)
			_, err := LoadCIFAR5m(dir, true, 0)
			wantErr(t, err, c.want)
		})
	}
	_, err := LoadCIFAR5m(t.TempDir(), false, 0)
	wantErr(t, err, "cifar5m_part5.npz", "part 5 test")
}
