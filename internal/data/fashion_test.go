package data

import (
	"errors"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"testing"
)

// writeFashion writes a tiny Fashion-MNIST split (n images of 2x3) into dir,
// gzip-compressed unless raw.
func writeFashion(t *testing.T, dir, prefix string, n int, labels []byte, raw bool) {
	t.Helper()
	pix := make([]byte, n*6)
	for i := range pix {
		pix[i] = byte(i * 11)
	}
	img := idxBytes(pix, uint32(n), 2, 3)
	lbl := idxBytes(labels, uint32(len(labels)))
	suffix := ""
	if !raw {
		img, lbl, suffix = gzipBytes(t, img), gzipBytes(t, lbl), ".gz"
	}
	writeFile(t, dir, prefix+"-images-idx3-ubyte"+suffix, img)
	writeFile(t, dir, prefix+"-labels-idx1-ubyte"+suffix, lbl)
}

func TestLoadFashionMNISTTiny(t *testing.T) {
	for _, raw := range []bool{false, true} {
		dir := t.TempDir()
		writeFashion(t, dir, "train", 3, []byte{9, 0, 4}, raw)
		writeFashion(t, dir, "t10k", 1, []byte{7}, raw)
		d, err := LoadFashionMNIST(dir, true)
		if err != nil {
			t.Fatalf("raw=%v: %v", raw, err)
		}
		if d.Name != "fashion-mnist" || d.N != 3 || d.H != 2 || d.W != 3 || d.C != 1 || d.Classes != 10 {
			t.Fatalf("raw=%v: got %+v", raw, *d)
		}
		// Image 2, row 1, column 2 is byte 2*6+1*3+2 = 17 of the body.
		if got := d.X[17]; got != float32(byte(17*11)) {
			t.Errorf("raw=%v: X[17] = %v, want %v", raw, got, byte(17*11))
		}
		if d.Y[0] != 9 || d.Y[1] != 0 || d.Y[2] != 4 {
			t.Errorf("raw=%v: Y = %v, want [9 0 4]", raw, d.Y)
		}
		test, err := LoadFashionMNIST(dir, false)
		if err != nil || test.N != 1 || test.Y[0] != 7 {
			t.Errorf("raw=%v: test split: %v, %+v", raw, err, test)
		}
	}
}

func TestLoadFashionMNISTErrors(t *testing.T) {
	t.Run("missing", func(t *testing.T) {
		dir := t.TempDir()
		_, err := LoadFashionMNIST(dir, true)
		wantErr(t, err, filepath.Join(dir, "train-images-idx3-ubyte.gz"), "does not exist")
		if !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("%v does not wrap fs.ErrNotExist (a missing file is an input error)", err)
		}
	})
	t.Run("label count", func(t *testing.T) {
		dir := t.TempDir()
		writeFashion(t, dir, "train", 3, []byte{1, 2}, false)
		_, err := LoadFashionMNIST(dir, true)
		wantErr(t, err, "train-labels-idx1-ubyte.gz", "2 labels for the 3 images")
	})
	t.Run("label value", func(t *testing.T) {
		dir := t.TempDir()
		writeFashion(t, dir, "t10k", 2, []byte{1, 10}, false)
		_, err := LoadFashionMNIST(dir, false)
		wantErr(t, err, "t10k-labels-idx1-ubyte.gz", "label 10 of example 1")
	})
	t.Run("truncated images", func(t *testing.T) {
		dir := t.TempDir()
		writeFashion(t, dir, "train", 2, []byte{1, 2}, false)
		path := filepath.Join(dir, "train-images-idx3-ubyte.gz")
		b, _ := os.ReadFile(path)
		writeFile(t, dir, "train-images-idx3-ubyte.gz", b[:len(b)/2])
		_, err := LoadFashionMNIST(dir, true)
		wantErr(t, err, path, "IDX images")
	})
}

// The real data set from the Debian package dataset-fashion-mnist.
func TestLoadFashionMNISTInstalled(t *testing.T) {
	if _, err := os.Stat(FashionMNISTDir); err != nil {
		t.Skipf("Fashion-MNIST not installed: %v", err)
	}
	train, test, err := LoadVision("fashion-mnist", "", Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		d        *Dataset
		n, first int
	}{{train, 60000, 9}, {test, 10000, 9}} {
		d := c.d
		if d.N != c.n || d.H != 28 || d.W != 28 || d.C != 1 || d.Classes != 10 || len(d.X) != c.n*784 || len(d.Y) != c.n {
			t.Fatalf("got N=%d %dx%dx%d classes=%d len(X)=%d len(Y)=%d, want N=%d 28x28x1 10",
				d.N, d.H, d.W, d.C, d.Classes, len(d.X), len(d.Y), c.n)
		}
		hist := make([]int, 10)
		for _, y := range d.Y {
			hist[y]++
		}
		for k, h := range hist {
			if h != c.n/10 {
				t.Errorf("N=%d: class %d has %d examples, want %d", c.n, k, h, c.n/10)
			}
		}
		if d.Y[0] != int32(c.first) {
			t.Errorf("N=%d: first label %d, want %d (ankle boot)", c.n, d.Y[0], c.first)
		}
	}
	// The well-known train statistics 0.2860 and 0.3530 on the 0..1 scale.
	mean, std := ChannelStats(train)
	if math.Abs(float64(mean[0])-0.2860*255) > 0.05 || math.Abs(float64(std[0])-0.3530*255) > 0.05 {
		t.Errorf("train mean %v std %v, want %v %v", mean[0], std[0], 0.2860*255, 0.3530*255)
	}
}
