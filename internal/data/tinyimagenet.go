package data

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
)

// TinyImageNetDir is the default Tiny-ImageNet directory (relative to the
// working directory), as the official tiny-imagenet-200.zip unpacks.
const TinyImageNetDir = "data/tiny-imagenet-200"

// tinySide is the side of the 64x64 RGB Tiny-ImageNet images.
const tinySide = 64

// LoadTinyImageNet reads the official tiny-imagenet-200 layout from dir as
// 64x64x3 NHWC images on the 0..255 scale (grayscale JPEGs become RGB). The
// train split is train/<wnid>/images/*.JPEG with class = the wnid's line in
// wnids.txt, classes in that order and files sorted by name; the test split
// is the official val split, val/images/*.JPEG sorted by name and labelled
// by val/val_annotations.txt (the official test split has no labels).
//
// JPEGs are decoded in parallel and a whole split is cached in a checked
// pixel file (see pixCachePaths), so later loads read one file. perClass > 0
// keeps the first perClass files of each class; without a valid cache it
// decodes only those and writes no cache.
func LoadTinyImageNet(dir string, train bool, perClass int) (*Dataset, error) {
	list, wnids, err := listTinyImageNet(dir, train)
	if err != nil {
		return nil, err
	}
	classes := len(wnids)
	pc := pixCache{fingerprint: list.fingerprint, n: len(list.paths), h: tinySide, w: tinySide, c: 3, classes: classes}
	paths := pixCachePaths(dir, train)
	for _, p := range paths {
		if pix, labels, err := pc.read(p); err == nil {
			return fromPixels(pc, pix, labels, firstPerClass(labels, perClass, classes)), nil
		}
	}
	idx := firstPerClass(list.labels, perClass, classes)
	sel := make([]string, len(idx))
	for k, i := range idx {
		sel[k] = list.paths[i]
	}
	pix, err := decodeJPEGs(sel, tinySide)
	if err != nil {
		return nil, err
	}
	if perClass > 0 {
		labels := make([]int32, len(idx))
		for k, i := range idx {
			labels[k] = list.labels[i]
		}
		pc.n = len(idx)
		return fromPixels(pc, pix, labels, nil), nil
	}
	for _, p := range paths { // the first writable location wins; none is fine
		if pc.write(p, pix, list.labels) == nil {
			break
		}
	}
	return fromPixels(pc, pix, list.labels, nil), nil
}

// pixCachePaths returns where a split's decoded cache may live, in order of
// preference: dir/.wdlab-cache/, then the user cache directory
// ($XDG_CACHE_HOME or ~/.cache)/wdlab/, keyed by the absolute data directory,
// for read-only data directories.
func pixCachePaths(dir string, train bool) []string {
	name := "tiny-imagenet-val.pix"
	if train {
		name = "tiny-imagenet-train.pix"
	}
	paths := []string{filepath.Join(dir, ".wdlab-cache", name)}
	if user, err := os.UserCacheDir(); err == nil {
		abs, err := filepath.Abs(dir)
		if err == nil {
			sum := sha256.Sum256([]byte(abs))
			paths = append(paths, filepath.Join(user, "wdlab", hex.EncodeToString(sum[:8])+"-"+name))
		}
	}
	return paths
}

// fromPixels builds a Dataset from the examples idx (nil: all) of NHWC
// bytes and labels shaped as pc says.
func fromPixels(pc pixCache, pix []uint8, labels []int32, idx []int) *Dataset {
	if idx == nil {
		idx = firstPerClass(labels, 0, pc.classes)
	}
	dim := pc.h * pc.w * pc.c
	d := &Dataset{Name: "tiny-imagenet", N: len(idx), H: pc.h, W: pc.w, C: pc.c, Classes: pc.classes,
		X: make([]float32, len(idx)*dim), Y: make([]int32, len(idx))}
	for k, i := range idx {
		dst := d.X[k*dim : (k+1)*dim]
		for j, p := range pix[i*dim : (i+1)*dim] {
			dst[j] = float32(p)
		}
		d.Y[k] = labels[i]
	}
	return d
}
