package sweep

import (
	"bytes"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"

	"wdlab/internal/config"
	"wdlab/internal/runio"
	"wdlab/internal/store"
)

// Names in a sweep's output directory.
const (
	SweepCopy = "sweep.yaml" // verbatim copy of the sweep file
	CellsFile = "cells.json" // index -> directory and overrides
	CellsDir  = "cells"      // one run directory per cell
	LogsDir   = "logs"       // stdout+stderr of each cell's training
)

// CellDir returns the run directory of cell c under out.
func CellDir(out string, c Cell) string { return filepath.Join(out, CellsDir, c.Name()) }

// LogPath returns the log file of cell c under out.
func LogPath(out string, c Cell) string { return filepath.Join(out, LogsDir, c.Name()+".log") }

// cellsDoc is the content of cells.json.
type cellsDoc struct {
	Name  string            `json:"name"`
	Base  string            `json:"base"`
	Set   map[string]string `json:"set"`
	Keys  []string          `json:"keys"`
	Cells []cellEntry       `json:"cells"`
}

type cellEntry struct {
	Index     int               `json:"index"`
	Dir       string            `json:"dir"`
	Overrides map[string]string `json:"overrides"`
}

// CellsJSON returns the content of cells.json: the sweep's name, base, fixed
// overrides, grid keys and, per index, the cell directory (relative to the
// output directory) and its grid values.
func (s *Sweep) CellsJSON() []byte {
	doc := cellsDoc{Name: s.Name, Base: s.Base, Set: map[string]string{}}
	for _, o := range s.Set {
		doc.Set[o.Key] = o.Value
	}
	for _, a := range s.Grid {
		doc.Keys = append(doc.Keys, a.Key)
	}
	for _, c := range s.Cells() {
		e := cellEntry{Index: c.Index, Dir: CellsDir + "/" + c.Name(), Overrides: map[string]string{}}
		for _, o := range c.Values {
			e.Overrides[o.Key] = o.Value
		}
		doc.Cells = append(doc.Cells, e)
	}
	data, _ := json.MarshalIndent(doc, "", "  ") // maps of strings always encode
	return append(data, '\n')
}

// Prepare makes out ready for the sweep: it refuses an out that holds a
// different sweep's cells.json, writes sweep.yaml and cells.json
// atomically, creates logs/ and plans every cell in the store st (status
// pending for cells never run; st is nil in cluster tasks, which never open
// the store). Running it again, or from several cluster tasks at once, is
// harmless.
func Prepare(sw *Sweep, out string, st *store.Store) error {
	cells := sw.CellsJSON()
	old, err := os.ReadFile(filepath.Join(out, CellsFile))
	switch {
	case err == nil && !bytes.Equal(old, cells):
		return config.Inputf("%s holds a different sweep (its %s differs); use another --out", out, CellsFile)
	case err != nil && !errors.Is(err, fs.ErrNotExist):
		return err
	}
	if err := os.MkdirAll(filepath.Join(out, LogsDir), 0o755); err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Join(out, CellsDir), 0o755); err != nil {
		return err
	}
	if err := runio.WriteFileAtomic(filepath.Join(out, SweepCopy), sw.Raw, 0o644); err != nil {
		return err
	}
	if err := runio.WriteFileAtomic(filepath.Join(out, CellsFile), cells, 0o644); err != nil {
		return err
	}
	if st == nil {
		return nil
	}
	for _, c := range sw.Cells() {
		if _, err := st.Plan(CellDir(out, c), c.Name(), sw.Name, c.Index, ""); err != nil {
			return err
		}
	}
	return nil
}
