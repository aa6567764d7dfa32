package data

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// FashionMNISTDir is the default Fashion-MNIST directory, where the Debian
// package dataset-fashion-mnist installs the four IDX .gz files.
const FashionMNISTDir = "/usr/share/datasets/fashion-mnist"

// fashionClasses is the number of Fashion-MNIST classes.
const fashionClasses = 10

// LoadFashionMNIST reads the Fashion-MNIST train (train-images-idx3-ubyte.gz,
// train-labels-idx1-ubyte.gz) or test (t10k-...) split from dir; each file
// may also be present uncompressed, without the .gz suffix. Images are
// rows x cols x 1 with pixels on the 0..255 scale; labels must be 0..9 and
// as many as the images.
func LoadFashionMNIST(dir string, train bool) (*Dataset, error) {
	prefix := "t10k"
	if train {
		prefix = "train"
	}
	var (
		n, rows, cols int
		pix, labels   []uint8
	)
	imgPath, err := readIDXFile(filepath.Join(dir, prefix+"-images-idx3-ubyte"), func(f *os.File) (err error) {
		n, rows, cols, pix, err = ReadIDXImages(f)
		return err
	})
	if err != nil {
		return nil, err
	}
	lblPath, err := readIDXFile(filepath.Join(dir, prefix+"-labels-idx1-ubyte"), func(f *os.File) (err error) {
		labels, err = ReadIDXLabels(f)
		return err
	})
	if err != nil {
		return nil, err
	}
	if len(labels) != n {
		return nil, fmt.Errorf("data: %s: %d labels for the %d images of %s", lblPath, len(labels), n, imgPath)
	}
	for i, l := range labels {
		if l >= fashionClasses {
			return nil, fmt.Errorf("data: %s: label %d of example %d is outside 0..%d", lblPath, l, i, fashionClasses-1)
		}
	}
	return fromBytes("fashion-mnist", n, rows, cols, 1, fashionClasses, pix, labels), nil
}

// readIDXFile opens base+".gz", or base if that does not exist, runs read on
// it and returns the path used; errors name the file.
func readIDXFile(base string, read func(*os.File) error) (string, error) {
	path := base + ".gz"
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		path = base
		if f, err = os.Open(path); errors.Is(err, fs.ErrNotExist) {
			return "", fmt.Errorf("data: %s.gz (or uncompressed): %w", base, fs.ErrNotExist)
		}
	}
	if err != nil {
		return "", fmt.Errorf("data: %w", err)
	}
	defer f.Close()
	if err := read(f); err != nil {
		return "", fmt.Errorf("data: %s: %w", path, err)
	}
	return path, nil
}
