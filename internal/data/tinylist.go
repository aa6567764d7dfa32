package data

import (
	"bufio"
	"crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// imageList is the ordered file list of one split of an image-folder
// dataset: paths, their labels, and a fingerprint of names, sizes,
// modification times and labels that identifies a decoded cache.
type imageList struct {
	paths       []string
	labels      []int32
	fingerprint [32]byte
}

// firstPerClass returns the indices of the first perClass labels of each
// class, in order (perClass 0: all indices).
func firstPerClass(labels []int32, perClass, classes int) []int {
	count := make([]int, classes)
	idx := make([]int, 0, len(labels))
	for i, y := range labels {
		if perClass == 0 || count[y] < perClass {
			count[y]++
			idx = append(idx, i)
		}
	}
	return idx
}

// tinyLayout is the expected layout, quoted in errors.
const tinyLayout = "wnids.txt, train/<wnid>/images/*.JPEG, val/images/*.JPEG, val/val_annotations.txt"

// listTinyImageNet lists the train split (train/<wnid>/images/*.JPEG, class
// = line of the wnid in wnids.txt, classes in that order and files sorted by
// name) or the val split (val/images/*.JPEG sorted by name, labelled by
// val/val_annotations.txt) of a tiny-imagenet-200 directory. It returns the
// class ids too.
func listTinyImageNet(dir string, train bool) (imageList, []string, error) {
	wnids, err := readWnids(filepath.Join(dir, "wnids.txt"))
	if err != nil {
		return imageList{}, nil, err
	}
	class := make(map[string]int32, len(wnids))
	for i, w := range wnids {
		class[w] = int32(i)
	}
	h := sha256.New()
	fmt.Fprintf(h, "tiny-imagenet v1 train=%v\n%s\n", train, strings.Join(wnids, " "))
	var l imageList
	add := func(path string, y int32, info fs.FileInfo) {
		l.paths, l.labels = append(l.paths, path), append(l.labels, y)
		fmt.Fprintf(h, "%s\x00%d\x00%d\x00%d\n", filepath.Base(path), info.Size(), info.ModTime().UnixNano(), y)
	}
	if train {
		for i, w := range wnids {
			imgDir := filepath.Join(dir, "train", w, "images")
			files, err := listJPEGs(imgDir)
			if err != nil {
				return imageList{}, nil, err
			}
			if len(files) == 0 {
				return imageList{}, nil, fmt.Errorf("data: tiny-imagenet: %s has no .JPEG images", imgDir)
			}
			for _, f := range files {
				add(filepath.Join(imgDir, f.Name()), int32(i), f)
			}
		}
	} else {
		ann, err := readValAnnotations(filepath.Join(dir, "val", "val_annotations.txt"), class)
		if err != nil {
			return imageList{}, nil, err
		}
		imgDir := filepath.Join(dir, "val", "images")
		files, err := listJPEGs(imgDir)
		if err != nil {
			return imageList{}, nil, err
		}
		for _, f := range files {
			y, ok := ann[f.Name()]
			if !ok {
				return imageList{}, nil, fmt.Errorf("data: tiny-imagenet: %s has no line in val/val_annotations.txt", filepath.Join(imgDir, f.Name()))
			}
			delete(ann, f.Name())
			add(filepath.Join(imgDir, f.Name()), y, f)
		}
		if len(ann) > 0 {
			missing := slices.Sorted(maps.Keys(ann))
			return imageList{}, nil, fmt.Errorf("data: tiny-imagenet: val/val_annotations.txt names %d images missing from %s (first: %s)", len(missing), imgDir, missing[0])
		}
	}
	h.Sum(l.fingerprint[:0])
	return l, wnids, nil
}

// listJPEGs returns the .JPEG/.jpeg/.jpg files of dir, sorted by name, with
// their file info.
func listJPEGs(dir string) ([]fs.FileInfo, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, tinyMissing(err)
	}
	var out []fs.FileInfo
	for _, e := range entries { // os.ReadDir sorts by name
		ext := strings.ToLower(filepath.Ext(e.Name()))
		if e.IsDir() || (ext != ".jpeg" && ext != ".jpg") {
			continue
		}
		info, err := e.Info()
		if err != nil {
			return nil, fmt.Errorf("data: %w", err)
		}
		out = append(out, info)
	}
	return out, nil
}

// tinyMissing adds the expected layout to a file-not-found error.
func tinyMissing(err error) error {
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("data: tiny-imagenet: %w (want the official tiny-imagenet-200 layout: %s; set data.dir)", err, tinyLayout)
	}
	return fmt.Errorf("data: tiny-imagenet: %w", err)
}

// readWnids reads the class ids, one per line (blank lines skipped).
func readWnids(path string) ([]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, tinyMissing(err)
	}
	var wnids []string
	seen := map[string]bool{}
	for i, line := range strings.Split(string(b), "\n") {
		w := strings.TrimSpace(line)
		if w == "" {
			continue
		}
		if seen[w] || strings.ContainsAny(w, `/\ `) || w == "." || w == ".." {
			return nil, fmt.Errorf("data: %s: line %d: class id %q is repeated or not a directory name", path, i+1, w)
		}
		seen[w] = true
		wnids = append(wnids, w)
	}
	if len(wnids) == 0 {
		return nil, fmt.Errorf("data: %s: no class ids", path)
	}
	return wnids, nil
}

// readValAnnotations maps each val image name to its class: lines of
// tab-separated file, wnid, then the bounding box (ignored).
func readValAnnotations(path string, class map[string]int32) (map[string]int32, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, tinyMissing(err)
	}
	defer f.Close()
	ann := map[string]int32{}
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		fields := strings.Split(strings.TrimRight(sc.Text(), "\r"), "\t")
		if len(fields) < 2 {
			return nil, fmt.Errorf("data: %s: line %d: want tab-separated file and wnid, got %q", path, line, sc.Text())
		}
		y, ok := class[fields[1]]
		if !ok {
			return nil, fmt.Errorf("data: %s: line %d: wnid %q is not in wnids.txt", path, line, fields[1])
		}
		if _, dup := ann[fields[0]]; dup {
			return nil, fmt.Errorf("data: %s: line %d: %s is annotated twice", path, line, fields[0])
		}
		ann[fields[0]] = y
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("data: %s: %w", path, err)
	}
	return ann, nil
}
