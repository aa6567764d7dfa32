package runio

import (
	"io/fs"
	"os"
	"path/filepath"
	"sort"
)

// FindRunDirs returns, sorted, every directory under root (root included)
// that holds a summary.json. Checkpoint folders and hidden folders are not
// searched.
func FindRunDirs(root string) ([]string, error) {
	if _, err := os.Stat(root); err != nil {
		return nil, err
	}
	var dirs []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			if d.Name() == SummaryFile {
				dirs = append(dirs, filepath.Dir(path))
			}
			return nil
		}
		name := d.Name()
		if path != root && (name == CheckpointDir || (len(name) > 1 && name[0] == '.')) {
			return filepath.SkipDir
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.Strings(dirs)
	return dirs, nil
}
