package serve

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"wdlab/internal/report"
	"wdlab/internal/runio"
)

// runFiles are the files of a run directory whose changes the app shows.
var runFiles = []string{runio.SummaryFile, runio.MetricsFile, runio.ConfigFile}

// fileSig identifies one version of a file: its size and modification time
// (absent files have size -1).
type fileSig struct {
	size  int64
	mtime int64
}

func sigOf(path string) fileSig {
	st, err := os.Stat(path)
	if err != nil {
		return fileSig{size: -1}
	}
	return fileSig{size: st.Size(), mtime: st.ModTime().UnixNano()}
}

// runState is one run directory as last read.
type runState struct {
	sigs []fileSig // of runFiles, in order
	run  report.Run
	err  string // why the directory could not be read ("" when it could)
}

// tree is the output root as last scanned. Scan rereads only the run
// directories whose files changed and counts versions, so that clients
// learn of any change.
type tree struct {
	root       string
	runs       map[string]*runState // by directory relative to root, slash-separated
	claimSigs  map[string]fileSig   // claims.json files, by relative path
	version    int
	signatures string // everything scanned last time, to detect changes
}

func newTree(root string) *tree {
	return &tree{root: root, runs: map[string]*runState{}, claimSigs: map[string]fileSig{}}
}

// scan rereads what changed since the last scan and bumps version when
// anything did.
func (t *tree) scan() error {
	dirs, err := runio.FindRunDirs(t.root)
	if err != nil {
		return err
	}
	var sig strings.Builder
	seen := map[string]bool{}
	for _, d := range dirs {
		id := relSlash(t.root, d)
		seen[id] = true
		sigs := make([]fileSig, len(runFiles))
		for i, f := range runFiles {
			sigs[i] = sigOf(filepath.Join(d, f))
		}
		fmt.Fprintf(&sig, "%s %v\n", id, sigs)
		if old, ok := t.runs[id]; ok && slices.Equal(old.sigs, sigs) {
			continue
		}
		t.runs[id] = loadRunState(d, id, sigs)
	}
	for id := range t.runs {
		if !seen[id] {
			delete(t.runs, id)
		}
	}
	t.claimSigs = map[string]fileSig{}
	for _, p := range claimFiles(t.root) {
		rel := relSlash(t.root, p)
		t.claimSigs[rel] = sigOf(p)
		fmt.Fprintf(&sig, "claims %s %v\n", rel, t.claimSigs[rel])
	}
	if s := sig.String(); s != t.signatures {
		t.signatures = s
		t.version++
	}
	return nil
}

// loadRunState reads one run directory through the report's loader, so
// that the app and the static report agree on every value. A directory
// that cannot be read is kept with its error: a run being written or
// failing must not take the others down.
func loadRunState(dir, id string, sigs []fileSig) *runState {
	st := &runState{sigs: sigs}
	runs, err := report.LoadRuns(dir)
	if err == nil {
		for _, r := range runs {
			if r.Dir == "." {
				st.run = r
			}
		}
	}
	if st.run.Summary == nil {
		st.err = "unreadable"
		if err != nil {
			st.err = err.Error()
		}
		st.run = report.Run{Name: filepath.Base(dir), LR: math.NaN(), WD: math.NaN()}
	}
	st.run.Dir = id
	return st
}

// ids returns the run ids, sorted.
func (t *tree) ids() []string {
	ids := make([]string, 0, len(t.runs))
	for id := range t.runs {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

// loaded returns the runs that could be read, sorted by id.
func (t *tree) loaded() []report.Run {
	var out []report.Run
	for _, id := range t.ids() {
		if st := t.runs[id]; st.err == "" {
			out = append(out, st.run)
		}
	}
	return out
}

// relSlash is path relative to root with slashes ("." for root itself).
func relSlash(root, path string) string {
	rel, err := filepath.Rel(root, path)
	if err != nil {
		return path
	}
	return filepath.ToSlash(rel)
}
