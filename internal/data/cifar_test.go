package data

import (
	"bytes"
	"path/filepath"
	"slices"
	"testing"
)

// checkCIFARPix checks that image i of pix holds image src of the test files.
func checkCIFARPix(t *testing.T, pix []uint8, i, src int) {
	t.Helper()
	for y := range cifarSide {
		for x := range cifarSide {
			for c := range 3 {
				idx := ((i*cifarSide+y)*cifarSide+x)*3 + c
				if got, want := pix[idx], cifarPix(src, y, x, c); got != want {
					t.Fatalf("image %d (y=%d x=%d c=%d) at NHWC index %d = %d, want %d", i, y, x, c, idx, got, want)
				}
			}
		}
	}
}

func TestReadCIFAR10KnownAnswer(t *testing.T) {
	in := append(cifarRecord(0, 3), cifarRecord(1, 9)...)
	n, pix, labels, err := ReadCIFAR(bytes.NewReader(in), 10)
	if err != nil {
		t.Fatal(err)
	}
	if n != 2 || len(pix) != 2*3072 || !slices.Equal(labels, []uint8{3, 9}) {
		t.Fatalf("got n=%d len(pix)=%d labels=%v, want 2 6144 [3 9]", n, len(pix), labels)
	}
	// Hand-checked positions: green (c=1) of image 1 at (y=2, x=5) is plane
	// byte 1024+2*32+5 of record 1 and NHWC index 3072+(2*32+5)*3+1.
	if got, want := pix[3072+(2*32+5)*3+1], in[3073+1+1024+2*32+5]; got != want || want != cifarPix(1, 2, 5, 1) {
		t.Fatalf("pixel (1,2,5,G) = %d, want %d", got, want)
	}
	checkCIFARPix(t, pix, 0, 0)
	checkCIFARPix(t, pix, 1, 1)
}

func TestReadCIFAR100UsesFineLabel(t *testing.T) {
	in := append(cifarRecord(0, 19, 99), cifarRecord(1, 4, 42)...)
	n, pix, labels, err := ReadCIFAR(bytes.NewReader(in), 100)
	if err != nil {
		t.Fatal(err)
	}
	if n != 2 || !slices.Equal(labels, []uint8{99, 42}) {
		t.Fatalf("got n=%d labels=%v, want 2 [99 42]", n, labels)
	}
	checkCIFARPix(t, pix, 1, 1)
}

func TestReadCIFARErrors(t *testing.T) {
	two := append(cifarRecord(0, 1), cifarRecord(1, 2)...)
	cases := []struct {
		name    string
		classes int
		in      []byte
		want    string
	}{
		{"empty", 10, nil, "size 0"},
		{"truncated", 10, two[:len(two)-1], "size 6145 is not a positive multiple of the 3073-byte record"},
		{"cifar100 record size", 100, two, "3074-byte record"},
		{"label 10", 10, append(cifarRecord(0, 1), cifarRecord(1, 10)...), "record 1: label 10 is outside 0..9"},
		{"fine 100", 100, cifarRecord(0, 3, 100), "record 0: label 100 is outside 0..99"},
		{"coarse 20", 100, cifarRecord(0, 20, 5), "coarse label 20 is outside 0..19"},
		{"classes", 7, two, "classes must be 10 or 100"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, pix, _, err := ReadCIFAR(bytes.NewReader(c.in), c.classes)
			wantErr(t, err, c.want)
			if pix != nil {
				t.Errorf("pix = %d bytes on error, want nil", len(pix))
			}
		})
	}
}

// writeCIFAR10 writes data_batch_b.bin with image b and label b for b in
// 1..5 (data_batch_3.bin holds two images, 3 and 6) and test_batch.bin with image 7.
func writeCIFAR10(t *testing.T, dir string) {
	t.Helper()
	for b := 1; b <= 5; b++ {
		rec := cifarRecord(b, uint8(b))
		if b == 3 {
			rec = append(rec, cifarRecord(6, 6)...)
		}
		writeFile(t, dir, "data_batch_"+string(rune('0'+b))+".bin", rec)
	}
	writeFile(t, dir, "test_batch.bin", cifarRecord(7, 0))
}

func TestLoadCIFAR10(t *testing.T) {
	dir := t.TempDir()
	writeCIFAR10(t, dir)
	d, err := LoadCIFAR(dir, 10, true)
	if err != nil {
		t.Fatal(err)
	}
	if d.Name != "cifar10" || d.N != 6 || d.H != 32 || d.W != 32 || d.C != 3 || d.Classes != 10 || len(d.X) != 6*3072 {
		t.Fatalf("got %s N=%d %dx%dx%d classes=%d len(X)=%d", d.Name, d.N, d.H, d.W, d.C, d.Classes, len(d.X))
	}
	if want := []int32{1, 2, 3, 6, 4, 5}; !slices.Equal(d.Y, want) {
		t.Fatalf("Y = %v, want %v (file order)", d.Y, want)
	}
	// Example 3 is image 6 (second record of batch 3); blue at (31, 0).
	if got, want := d.X[((3*32+31)*32+0)*3+2], float32(cifarPix(6, 31, 0, 2)); got != want {
		t.Fatalf("X(3,31,0,B) = %v, want %v", got, want)
	}
	test, err := LoadCIFAR(dir, 10, false)
	if err != nil || test.N != 1 || test.Y[0] != 0 || test.X[5] != float32(cifarPix(7, 0, 1, 2)) {
		t.Fatalf("test split: %v %+v", err, test)
	}
}

func TestLoadCIFAR100(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "train.bin", append(cifarRecord(0, 0, 17), cifarRecord(1, 1, 83)...))
	writeFile(t, dir, "test.bin", cifarRecord(2, 2, 5))
	train, test, err := LoadVision("cifar100", dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if train.Name != "cifar100" || train.Classes != 100 || train.N != 2 || !slices.Equal(train.Y, []int32{17, 83}) {
		t.Fatalf("train: %s classes=%d N=%d Y=%v", train.Name, train.Classes, train.N, train.Y)
	}
	if test.N != 1 || test.Y[0] != 5 || test.X[3072-1] != float32(cifarPix(2, 31, 31, 2)) {
		t.Fatalf("test: N=%d Y=%v last=%v", test.N, test.Y, test.X[3071])
	}
}

func TestLoadCIFARErrorsNameFile(t *testing.T) {
	dir := t.TempDir()
	writeCIFAR10(t, dir)
	writeFile(t, dir, "data_batch_3.bin", cifarRecord(3, 3)[:100])
	_, err := LoadCIFAR(dir, 10, true)
	wantErr(t, err, filepath.Join(dir, "data_batch_3.bin"), "size 100")

	_, err = LoadCIFAR(dir, 100, true)
	wantErr(t, err, filepath.Join(dir, "train.bin"))

	_, err = LoadCIFAR(dir, 20, true)
	wantErr(t, err, "classes must be 10 or 100, got 20")
}
