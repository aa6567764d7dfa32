package data

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// Default CIFAR directories (relative to the working directory), as the
// official binary tarballs unpack.
const (
	CIFAR10Dir  = "data/cifar-10-batches-bin"
	CIFAR100Dir = "data/cifar-100-binary"
)

// CIFAR images are 32x32 RGB, stored as three planes R, G, B; CIFAR-100
// records also carry one of 20 coarse labels.
const (
	cifarSide   = 32
	cifarCoarse = 20
)

// ReadCIFAR reads CIFAR binary records: for classes == 10, one label byte
// then 3072 pixel bytes (CHW planes R, G, B); for classes == 100, a coarse
// label byte (0..19), a fine label byte and the 3072 pixel bytes. It returns
// the n images as NHWC bytes (32x32x3) and the labels (the fine label for
// CIFAR-100). An empty or truncated stream and out-of-range labels are errors.
func ReadCIFAR(r io.Reader, classes int) (n int, pix, labels []uint8, err error) {
	if _, err := cifarLabelBytes(classes); err != nil {
		return 0, nil, nil, err
	}
	b, err := io.ReadAll(r)
	if err != nil {
		return 0, nil, nil, fmt.Errorf("CIFAR-%d: %w", classes, err)
	}
	return decodeCIFAR(b, classes, cifarSide)
}

// cifarLabelBytes returns the number of label bytes per record.
func cifarLabelBytes(classes int) (int, error) {
	switch classes {
	case 10:
		return 1, nil
	case 100:
		return 2, nil
	}
	return 0, fmt.Errorf("CIFAR: classes must be 10 or 100, got %d", classes)
}

// decodeCIFAR decodes CIFAR records of side x side images (32 for the real
// data; fuzzing uses small sides so that records are short).
func decodeCIFAR(b []byte, classes, side int) (n int, pix, labels []uint8, err error) {
	nlab, err := cifarLabelBytes(classes)
	if err != nil {
		return 0, nil, nil, err
	}
	size := 3 * side * side
	rec := nlab + size
	if len(b) == 0 || len(b)%rec != 0 {
		return 0, nil, nil, fmt.Errorf("CIFAR-%d: size %d is not a positive multiple of the %d-byte record (truncated or wrong format)", classes, len(b), rec)
	}
	n = len(b) / rec
	pix = make([]uint8, n*size)
	labels = make([]uint8, n)
	for i := range n {
		r := b[i*rec : (i+1)*rec]
		if nlab == 2 && r[0] >= cifarCoarse {
			return 0, nil, nil, fmt.Errorf("CIFAR-%d: record %d: coarse label %d is outside 0..%d", classes, i, r[0], cifarCoarse-1)
		}
		if l := r[nlab-1]; int(l) >= classes {
			return 0, nil, nil, fmt.Errorf("CIFAR-%d: record %d: label %d is outside 0..%d", classes, i, l, classes-1)
		}
		labels[i] = r[nlab-1]
		chwToHWC(pix[i*size:(i+1)*size], r[nlab:])
	}
	return n, pix, labels, nil
}

// chwToHWC interleaves the three colour planes of one image.
func chwToHWC(dst, src []uint8) {
	plane := len(src) / 3
	for c := range 3 {
		for p, v := range src[c*plane : (c+1)*plane] {
			dst[p*3+c] = v
		}
	}
}

// LoadCIFAR reads CIFAR-10 (classes 10: data_batch_1.bin..data_batch_5.bin,
// or test_batch.bin) or CIFAR-100 (classes 100: train.bin or test.bin) from
// dir, in file order, as 32x32x3 NHWC images on the 0..255 scale.
func LoadCIFAR(dir string, classes int, train bool) (*Dataset, error) {
	var names []string
	switch {
	case classes == 10 && train:
		names = []string{"data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin"}
	case classes == 10:
		names = []string{"test_batch.bin"}
	case classes == 100 && train:
		names = []string{"train.bin"}
	case classes == 100:
		names = []string{"test.bin"}
	default:
		return nil, fmt.Errorf("data: CIFAR classes must be 10 or 100, got %d", classes)
	}
	var (
		total       int
		pix, labels []uint8
	)
	for _, name := range names {
		path := filepath.Join(dir, name)
		n, p, l, err := readCIFARFile(path, classes)
		if err != nil {
			return nil, err
		}
		total += n
		pix = append(pix, p...)
		labels = append(labels, l...)
	}
	return fromBytes(fmt.Sprintf("cifar%d", classes), total, cifarSide, cifarSide, 3, classes, pix, labels), nil
}

// readCIFARFile runs ReadCIFAR on one file; errors name the file.
func readCIFARFile(path string, classes int) (n int, pix, labels []uint8, err error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, nil, nil, fmt.Errorf("data: %w", err)
	}
	defer f.Close()
	n, pix, labels, err = ReadCIFAR(f, classes)
	if err != nil {
		return 0, nil, nil, fmt.Errorf("data: %s: %w", path, err)
	}
	return n, pix, labels, nil
}
