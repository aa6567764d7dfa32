package data

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// tinyWnids lists the fake classes out of alphabetical order: the class
// index is the line of wnids.txt, not the sorted order.
var tinyWnids = []string{"n03", "n01", "n02"}

// tinyColor is the solid colour of train image j of class k (JPEG keeps
// solid colours within a few levels).
func tinyColor(k, j int) color.RGBA {
	return color.RGBA{uint8(30 + 80*k), uint8(20 + 40*j), uint8(220 - 60*k), 255}
}

// jpegBytes encodes a side x side image of solid colour c (grayscale
// JPEG when gray).
func jpegBytes(t testing.TB, side int, c color.RGBA, gray bool) []byte {
	t.Helper()
	r := image.Rect(0, 0, side, side)
	var img image.Image
	if gray {
		g := image.NewGray(r)
		for i := range g.Pix {
			g.Pix[i] = c.R
		}
		img = g
	} else {
		m := image.NewRGBA(r)
		for i := 0; i < len(m.Pix); i += 4 {
			m.Pix[i], m.Pix[i+1], m.Pix[i+2], m.Pix[i+3] = c.R, c.G, c.B, 255
		}
		img = m
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 95}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// trainName is the file name of train image j of class w; j = 10 and 2
// sort as "_10" < "_2", so name order differs from j order.
func trainName(w string, j int) string { return fmt.Sprintf("%s_%d.JPEG", w, []int{10, 2, 3}[j]) }

// writeTiny writes a tiny-imagenet-200 layout: 3 classes with 3 train images
// each (image 1 of class 0 a grayscale JPEG of grey level 128) plus a boxes
// file, and 4 val images annotated out of name order.
func writeTiny(t *testing.T, dir string) {
	t.Helper()
	writeFile(t, dir, "wnids.txt", []byte(strings.Join(tinyWnids, "\n")+"\n"))
	for k, w := range tinyWnids {
		imgDir := filepath.Join(dir, "train", w, "images")
		if err := os.MkdirAll(imgDir, 0o755); err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Join(dir, "train", w), w+"_boxes.txt", []byte("ignored\n"))
		for j := range 3 {
			c, gray := tinyColor(k, j), k == 0 && j == 1
			if gray {
				c = color.RGBA{128, 128, 128, 255}
			}
			writeFile(t, imgDir, trainName(w, j), jpegBytes(t, tinySide, c, gray))
		}
	}
	valDir := filepath.Join(dir, "val", "images")
	if err := os.MkdirAll(valDir, 0o755); err != nil {
		t.Fatal(err)
	}
	// val_j has class (j+1)%3 and the colour of train image 0 of that class.
	var ann []string
	for _, j := range []int{3, 0, 2, 1} {
		k := (j + 1) % 3
		writeFile(t, valDir, fmt.Sprintf("val_%d.JPEG", j), jpegBytes(t, tinySide, tinyColor(k, 0), false))
		ann = append(ann, fmt.Sprintf("val_%d.JPEG\t%s\t0\t1\t60\t62", j, tinyWnids[k]))
	}
	writeFile(t, filepath.Join(dir, "val"), "val_annotations.txt", []byte(strings.Join(ann, "\n")+"\n"))
}

// checkTinyPix checks that every pixel of example i is within 3 levels of c.
func checkTinyPix(t *testing.T, d *Dataset, i int, c color.RGBA) {
	t.Helper()
	dim := d.Dim()
	want := [3]float64{float64(c.R), float64(c.G), float64(c.B)}
	for p := range dim {
		if got := float64(d.X[i*dim+p]); math.Abs(got-want[p%3]) > 3 {
			t.Fatalf("example %d value %d (channel %d) = %v, want %v +- 3", i, p, p%3, got, want[p%3])
		}
	}
}

func TestLoadTinyImageNet(t *testing.T) {
	dir := t.TempDir()
	writeTiny(t, dir)
	train, test, err := LoadVision("tiny-imagenet", dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if train.Name != "tiny-imagenet" || train.N != 9 || train.H != 64 || train.W != 64 || train.C != 3 || train.Classes != 3 {
		t.Fatalf("train: %s N=%d %dx%dx%d classes=%d", train.Name, train.N, train.H, train.W, train.C, train.Classes)
	}
	if want := []int32{0, 0, 0, 1, 1, 1, 2, 2, 2}; !slices.Equal(train.Y, want) {
		t.Fatalf("train Y = %v, want %v", train.Y, want)
	}
	// Within a class, files sort by name: _10 (j=0), _2 (j=1), _3 (j=2).
	for i := range 9 {
		k, j := i/3, i%3
		c := tinyColor(k, j)
		if k == 0 && j == 1 {
			c = color.RGBA{128, 128, 128, 255} // the grayscale JPEG, as RGB
		}
		checkTinyPix(t, train, i, c)
	}
	// val files sort by name: val_0..val_3, labelled (j+1)%3.
	if test.N != 4 || test.Classes != 3 || !slices.Equal(test.Y, []int32{1, 2, 0, 1}) {
		t.Fatalf("val: N=%d classes=%d Y=%v, want 4 3 [1 2 0 1]", test.N, test.Classes, test.Y)
	}
	checkTinyPix(t, test, 2, tinyColor(0, 0))
}

func TestLoadTinyImageNetPerClass(t *testing.T) {
	dir := t.TempDir()
	writeTiny(t, dir)
	// The last file of each class is not valid, and is never decoded.
	for _, w := range tinyWnids {
		writeFile(t, filepath.Join(dir, "train", w, "images"), trainName(w, 2), []byte("not a jpeg"))
	}
	train, test, err := LoadVision("tiny-imagenet", dir, Options{TrainPerClass: 2, TestPerClass: 1})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(train.Y, []int32{0, 0, 1, 1, 2, 2}) || !slices.Equal(test.Y, []int32{1, 2, 0}) {
		t.Fatalf("Y = %v / %v", train.Y, test.Y)
	}
	checkTinyPix(t, train, 3, tinyColor(1, 1))
	if _, err := os.Stat(filepath.Join(dir, ".wdlab-cache", "tiny-imagenet-train.pix")); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("a per-class subset wrote a cache (stat: %v)", err)
	}
	_, err = LoadTinyImageNet(dir, true, 0)
	wantErr(t, err, filepath.Join(dir, "train", "n03", "images", "n03_3.JPEG"), "invalid JPEG")
}

// The cache is used while the files look the same, and rebuilt (never
// trusted) when it is corrupt or truncated or the files change.
func TestTinyImageNetCache(t *testing.T) {
	dir := t.TempDir()
	writeTiny(t, dir)
	first, err := LoadTinyImageNet(dir, true, 0)
	if err != nil {
		t.Fatal(err)
	}
	cache := filepath.Join(dir, ".wdlab-cache", "tiny-imagenet-train.pix")
	good, err := os.ReadFile(cache)
	if err != nil {
		t.Fatal(err)
	}
	if want := pixCacheHeader + 9*64*64*3 + 2*9 + 4; len(good) != want {
		t.Fatalf("cache is %d bytes, want %d", len(good), want)
	}
	// Swap a JPEG for garbage of the same size and mtime: the cache is used.
	img := filepath.Join(dir, "train", "n01", "images", trainName("n01", 1))
	orig, _ := os.ReadFile(img)
	info, _ := os.Stat(img)
	replace := func(b []byte, mtime time.Time) {
		t.Helper()
		if err := os.WriteFile(img, b, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(img, mtime, mtime); err != nil {
			t.Fatal(err)
		}
	}
	replace(bytes.Repeat([]byte{'x'}, len(orig)), info.ModTime())
	again, err := LoadTinyImageNet(dir, true, 0)
	if err != nil {
		t.Fatalf("cache not used: %v", err)
	}
	if !slices.Equal(again.X, first.X) || !slices.Equal(again.Y, first.Y) {
		t.Fatal("the cached dataset differs from the decoded one")
	}
	sub, err := LoadTinyImageNet(dir, true, 1)
	if err != nil || !slices.Equal(sub.Y, []int32{0, 1, 2}) || !slices.Equal(sub.X[sub.Dim():2*sub.Dim()], first.X[3*sub.Dim():4*sub.Dim()]) {
		t.Fatalf("per-class subset of the cache: %v", err)
	}
	// A corrupt or truncated cache is rebuilt: decoding meets the garbage file.
	for _, bad := range [][]byte{
		append(append([]byte{}, good[:pixCacheHeader+5]...), append([]byte{good[pixCacheHeader+5] ^ 1}, good[pixCacheHeader+6:]...)...),
		good[:len(good)-1],
		nil,
	} {
		writeFile(t, filepath.Dir(cache), filepath.Base(cache), bad)
		_, err = LoadTinyImageNet(dir, true, 0)
		wantErr(t, err, img)
	}
	// With the file restored (same mtime) the rebuilt cache equals the first.
	replace(orig, info.ModTime())
	if _, err := LoadTinyImageNet(dir, true, 0); err != nil {
		t.Fatal(err)
	}
	if rebuilt, _ := os.ReadFile(cache); !bytes.Equal(rebuilt, good) {
		t.Fatal("the rebuilt cache differs from the first one")
	}
	// A new mtime changes the fingerprint: the garbage file is decoded.
	replace(bytes.Repeat([]byte{'x'}, len(orig)), info.ModTime().Add(time.Second))
	_, err = LoadTinyImageNet(dir, true, 0)
	wantErr(t, err, img)
}

// A data directory where the cache cannot be written falls back to the
// user cache directory.
func TestTinyImageNetCacheFallback(t *testing.T) {
	dir, home := t.TempDir(), t.TempDir()
	t.Setenv("XDG_CACHE_HOME", home)
	writeTiny(t, dir)
	writeFile(t, dir, ".wdlab-cache", []byte("a file, not a directory"))
	if _, err := LoadTinyImageNet(dir, false, 0); err != nil {
		t.Fatal(err)
	}
	paths := pixCachePaths(dir, false)
	if len(paths) != 2 || !strings.HasPrefix(paths[1], filepath.Join(home, "wdlab")) {
		t.Fatalf("cache paths %v", paths)
	}
	if _, err := os.Stat(paths[1]); err != nil {
		t.Fatalf("no fallback cache: %v", err)
	}
}

func TestLoadTinyImageNetErrors(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "nowhere")
	_, err := LoadTinyImageNet(missing, true, 0)
	wantErr(t, err, filepath.Join(missing, "wnids.txt"), "tiny-imagenet-200 layout", "val/val_annotations.txt", "set data.dir")
	if !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("%v does not wrap fs.ErrNotExist", err)
	}
	cases := []struct {
		name  string
		edit  func(dir string)
		train bool
		want  string
	}{
		{"no class dir", func(dir string) { os.RemoveAll(filepath.Join(dir, "train", "n02")) }, true, filepath.Join("train", "n02", "images")},
		{"empty class", func(dir string) {
			os.RemoveAll(filepath.Join(dir, "train", "n02", "images"))
			os.MkdirAll(filepath.Join(dir, "train", "n02", "images"), 0o755)
		}, true, "has no .JPEG images"},
		{"repeated wnid", func(dir string) { writeFile(t, dir, "wnids.txt", []byte("n01\nn02\nn01\n")) }, true, "line 3: class id \"n01\" is repeated"},
		{"empty wnids", func(dir string) { writeFile(t, dir, "wnids.txt", []byte("\n")) }, true, "no class ids"},
		{"wrong size", func(dir string) {
			writeFile(t, filepath.Join(dir, "train", "n01", "images"), trainName("n01", 0), jpegBytes(t, 32, tinyColor(1, 0), false))
		}, true, "is 32x32, want 64x64"},
		{"no annotations", func(dir string) { os.Remove(filepath.Join(dir, "val", "val_annotations.txt")) }, false, "val_annotations.txt: no such file"},
		{"unknown wnid", func(dir string) {
			writeFile(t, filepath.Join(dir, "val"), "val_annotations.txt", []byte("val_0.JPEG\tn99\t0\t0\t1\t1\n"))
		}, false, "line 1: wnid \"n99\" is not in wnids.txt"},
		{"bad line", func(dir string) {
			writeFile(t, filepath.Join(dir, "val"), "val_annotations.txt", []byte("val_0.JPEG n01\n"))
		}, false, "want tab-separated"},
		{"unannotated image", func(dir string) {
			writeFile(t, filepath.Join(dir, "val", "images"), "val_9.JPEG", jpegBytes(t, 64, tinyColor(0, 0), false))
		}, false, "val_9.JPEG has no line in val/val_annotations.txt"},
		{"annotated but missing", func(dir string) { os.Remove(filepath.Join(dir, "val", "images", "val_2.JPEG")) }, false, "names 1 images missing"},
		{"twice", func(dir string) {
			writeFile(t, filepath.Join(dir, "val"), "val_annotations.txt", []byte("val_0.JPEG\tn01\nval_0.JPEG\tn02\n"))
		}, false, "line 2: val_0.JPEG is annotated twice"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			writeTiny(t, dir)
			c.edit(dir)
			_, err := LoadTinyImageNet(dir, c.train, 0)
			wantErr(t, err, c.want)
		})
	}
}

// decodeJPEGs reports the lowest failing index whatever the worker timing.
func TestDecodeJPEGsFirstError(t *testing.T) {
	dir := t.TempDir()
	var paths []string
	for i := range 40 {
		b := jpegBytes(t, 8, tinyColor(i%3, i%3), false)
		if i == 17 || i == 31 {
			b = []byte("bad")
		}
		paths = append(paths, writeFile(t, dir, fmt.Sprintf("%02d.jpg", i), b))
	}
	_, err := decodeJPEGs(paths, 8)
	wantErr(t, err, "17.jpg")
	pix, err := decodeJPEGs(paths[:17], 8)
	if err != nil || len(pix) != 17*8*8*3 {
		t.Fatalf("%v, %d bytes", err, len(pix))
	}
}
