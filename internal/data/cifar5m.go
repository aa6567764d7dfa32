package data

import (
	"archive/zip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path/filepath"
	"slices"
)

// CIFAR5mDir is the default CIFAR-5m directory (relative to the working
// directory), holding cifar5m_part0.npz .. cifar5m_part5.npz.
const CIFAR5mDir = "data/cifar5m"

// CIFAR-5m (Nakkiran et al. 2020) is six .npz parts of about 1M 32x32x3
// CIFAR-10-like images each. wdlab trains on parts 0..4 (about 5M images) and
// holds out the first CIFAR5mTestN images of part 5 as its test split,
// unless a CIFAR-10 test set is configured instead.
const (
	cifar5mTrainParts = 5
	cifar5mTestPart   = 5
	// CIFAR5mTestN is the size of the held-out test split.
	CIFAR5mTestN  = 10000
	cifar5mRecord = cifarSide * cifarSide * 3
)

// cifar5mChunk is the number of records read at once (a variable so that
// tests can observe stopping inside a part).
var cifar5mChunk = 1024

// cifar5mPart is the file name of part k.
func cifar5mPart(k int) string { return fmt.Sprintf("cifar5m_part%d.npz", k) }

// LoadCIFAR5m reads CIFAR-5m from dir as 32x32x3 NHWC images on the 0..255
// scale: the train split is parts 0..4 in order, the test split the first
// CIFAR5mTestN images of part 5. perClass > 0 keeps only the first perClass
// images of each class and stops reading once every class has them, so a
// subset never reads the whole 15 GB; a part is opened only when reached.
func LoadCIFAR5m(dir string, train bool, perClass int) (*Dataset, error) {
	parts, limit := []int{0, 1, 2, 3, 4}, -1
	if !train {
		parts, limit = []int{cifar5mTestPart}, CIFAR5mTestN
	}
	col := newCollector(10, perClass, cifar5mRecord, max(limit, 0))
	for _, k := range parts {
		scanned, err := readCIFAR5mPart(filepath.Join(dir, cifar5mPart(k)), col, limit)
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("data: cifar5m: %w (want the official cifar5m_part0.npz .. cifar5m_part%d.npz in %s: parts 0-%d train, part %d test; set data.dir)",
				err, cifar5mTestPart, dir, cifar5mTrainParts-1, cifar5mTestPart)
		}
		if err != nil {
			return nil, err
		}
		if col.done() {
			break
		}
		if limit > 0 {
			if limit -= scanned; limit == 0 {
				break
			}
		}
	}
	if len(col.y) == 0 {
		return nil, fmt.Errorf("data: cifar5m: %s holds no images", dir)
	}
	return col.dataset("cifar5m", cifarSide, cifarSide, 3), nil
}

// readCIFAR5mPart offers the records of one part to col in order, reading at
// most limit records (limit < 0: all) and stopping when col is done. It
// returns the number of records read; errors name the file.
func readCIFAR5mPart(path string, col *collector, limit int) (int, error) {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return 0, err
	}
	defer zr.Close()
	wrap := func(err error) error { return fmt.Errorf("data: %s: %w", path, err) }
	labels, err := readNPZLabels(&zr.Reader, col.classes)
	if err != nil {
		return 0, wrap(err)
	}
	x, err := openNPZMember(&zr.Reader, "X")
	if err != nil {
		return 0, wrap(err)
	}
	defer x.Close()
	want := []int{len(labels), cifarSide, cifarSide, 3}
	if x.h.Descr != "|u1" && x.h.Descr != "<u1" || !slices.Equal(x.h.Shape, want) {
		return 0, wrap(fmt.Errorf("X.npy: dtype %s shape %v, want |u1 %v (uint8 images matching Y)", x.h.Descr, x.h.Shape, want))
	}
	n := len(labels)
	if limit >= 0 {
		n = min(n, limit)
	}
	buf := make([]byte, cifar5mChunk*cifar5mRecord)
	read := 0
	for read < n && !col.done() {
		m := min(cifar5mChunk, n-read)
		b := buf[:m*cifar5mRecord]
		if _, err := io.ReadFull(x, b); err != nil {
			return 0, wrap(fmt.Errorf("X.npy: image %d: %w", read, unexpectedEOF(err)))
		}
		for j := range m {
			col.add(int(labels[read+j]), b[j*cifar5mRecord:(j+1)*cifar5mRecord])
		}
		read += m
	}
	if read == len(labels) { // read to EOF so that the zip CRC is checked
		if _, err := io.Copy(io.Discard, x); err != nil {
			return 0, wrap(fmt.Errorf("X.npy: %w", err))
		}
	}
	return read, nil
}

// readNPZLabels reads the Y member: a 1-D integer array of labels in
// 0..classes-1.
func readNPZLabels(zr *zip.Reader, classes int) ([]int64, error) {
	y, err := openNPZMember(zr, "Y")
	if err != nil {
		return nil, err
	}
	defer y.Close()
	if len(y.h.Shape) != 1 {
		return nil, fmt.Errorf("Y.npy: shape %v, want one dimension (N labels)", y.h.Shape)
	}
	labels, err := readNPYInts(y, y.h, y.h.Shape[0])
	if err == nil { // read to EOF so that the zip CRC is checked
		_, err = io.Copy(io.Discard, y)
	}
	if err != nil {
		return nil, fmt.Errorf("Y.npy: %w", err)
	}
	for i, l := range labels {
		if l < 0 || l >= int64(classes) {
			return nil, fmt.Errorf("Y.npy: label %d of example %d is outside 0..%d", l, i, classes-1)
		}
	}
	return labels, nil
}

// npzMember is an open .npy member of an .npz archive, positioned at its data.
type npzMember struct {
	io.ReadCloser
	h NPYHeader
}

// openNPZMember opens NAME.npy (as np.savez names its arrays), reads its
// header and checks that the member's size is exactly header plus data.
func openNPZMember(zr *zip.Reader, name string) (*npzMember, error) {
	var names []string
	for _, f := range zr.File {
		if f.Name != name+".npy" {
			names = append(names, f.Name)
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f.Name, err)
		}
		h, err := ReadNPYHeader(rc)
		if err != nil {
			rc.Close()
			return nil, fmt.Errorf("%s: %w", f.Name, err)
		}
		if want := uint64(h.HeaderLen) + uint64(h.Elems())*uint64(h.ItemSize); f.UncompressedSize64 != want {
			rc.Close()
			return nil, fmt.Errorf("%s: %d bytes, but its header (shape %v, %s) implies %d", f.Name, f.UncompressedSize64, h.Shape, h.Descr, want)
		}
		return &npzMember{ReadCloser: rc, h: h}, nil
	}
	return nil, fmt.Errorf("no %s.npy member (has %v)", name, names)
}
