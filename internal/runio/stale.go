package runio

import (
	"os"
	"path/filepath"
	"strings"
)

// RemoveStaleTemps deletes the temporary files that WriteFileAtomic leaves
// in dir when its process is killed mid-write (".<name>.tmp<digits>"),
// and returns how many it removed. Call it only while no other process
// writes into dir (a resumed run owns its directory).
func RemoveStaleTemps(dir string) (int, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, e := range entries {
		if !e.Type().IsRegular() || !isAtomicTemp(e.Name()) {
			continue
		}
		if err := os.Remove(filepath.Join(dir, e.Name())); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// isAtomicTemp reports whether name has WriteFileAtomic's temporary-file
// form: a dot, a base name, ".tmp" and only digits after it.
func isAtomicTemp(name string) bool {
	i := strings.LastIndex(name, ".tmp")
	if !strings.HasPrefix(name, ".") || i < 2 {
		return false
	}
	digits := name[i+len(".tmp"):]
	if digits == "" {
		return false
	}
	for _, c := range digits {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
