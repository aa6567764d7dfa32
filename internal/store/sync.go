package store

import (
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"wdlab/internal/runio"
)

// fingerprintFiles are the files of a run directory whose size and
// modification time decide whether Sync must read it again.
var fingerprintFiles = []string{runio.SummaryFile, runio.MetricsFile, runio.ConfigFile, AttemptsFile}

// fingerprint returns "size:mtime" of each fingerprint file of dir ("-"
// for a missing one). Every writer replaces or appends to these files, so
// an unchanged fingerprint means unchanged content.
func fingerprint(dir string) string {
	parts := make([]string, len(fingerprintFiles))
	for i, name := range fingerprintFiles {
		parts[i] = "-"
		if st, err := os.Stat(filepath.Join(dir, name)); err == nil {
			parts[i] = fmt.Sprintf("%d:%d", st.Size(), st.ModTime().UnixNano())
		}
	}
	return strings.Join(parts, ",")
}

// Sync brings the store up to date with the run directories under its
// root (folders holding summary.json): a directory whose files changed
// since the store last read them, or that the store lacks, is read again
// (see Import); the others are skipped. It returns how many it read.
// This is how runs that cluster tasks wrote (they never open the store)
// get into it.
func (s *Store) Sync() (int, error) {
	dirs, err := runio.FindRunDirs(s.root)
	if err != nil {
		return 0, fmt.Errorf("run store: sync: %w", err)
	}
	known := map[string]string{}
	rows, err := s.db.Query(`SELECT dir, source FROM runs`)
	if err != nil {
		return 0, fmt.Errorf("run store: sync: %w", err)
	}
	for rows.Next() {
		var dir, source string
		if err := rows.Scan(&dir, &source); err != nil {
			rows.Close()
			return 0, fmt.Errorf("run store: sync: %w", err)
		}
		known[dir] = source
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("run store: sync: %w", err)
	}
	n := 0
	for _, d := range dirs {
		k, err := s.key(d)
		if err != nil {
			return n, err
		}
		if src, ok := known[k]; ok && src == fingerprint(d) {
			continue
		}
		if err := s.Import(d); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// Import records a run directory from its files alone: its sweep, cell,
// name and attempt count from attempts.jsonl when present (else a new
// run keeps the name of summary.json or of the directory, one attempt,
// and a stored run keeps its sweep, cell and attempts), then its outcome
// as Finish does. Importing again is harmless.
func (s *Store) Import(dir string) error {
	k, err := s.key(dir)
	if err != nil {
		return err
	}
	abs := s.Abs(k)
	f, err := readRunFiles(abs)
	if err != nil {
		return fmt.Errorf("run store: import: %w", err)
	}
	att, err := ReadAttempts(abs)
	if err != nil {
		return fmt.Errorf("run store: import: %w", err)
	}
	err = s.inTx(func(tx *sql.Tx) error {
		if err := upsertFromDir(tx, k, abs, f, att); err != nil {
			return err
		}
		return finishTx(tx, k, f)
	})
	if err != nil {
		return fmt.Errorf("run store: import %s: %w", dir, err)
	}
	return nil
}

// upsertFromDir inserts or updates run k's identity from its attempts (see
// Import).
func upsertFromDir(tx *sql.Tx, k, abs string, f runFiles, att []Attempt) error {
	if len(att) == 0 {
		name := f.name
		if name == "" {
			name = filepath.Base(abs)
		}
		_, err := tx.Exec(`
INSERT INTO runs (dir, name, status, attempts) VALUES (?, ?, ?, 1)
ON CONFLICT (dir) DO UPDATE SET attempts = max(runs.attempts, 1)`, k, name, f.status)
		return err
	}
	last := att[len(att)-1]
	_, err := tx.Exec(`
INSERT INTO runs (dir, name, experiment, cell_index, status, started, attempts)
VALUES (?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (dir) DO UPDATE SET
	name = excluded.name, experiment = excluded.experiment, cell_index = excluded.cell_index,
	started = excluded.started, attempts = excluded.attempts`,
		k, last.Name, last.Experiment, last.CellIndex, f.status, last.Started.UTC().Format(time.RFC3339Nano), len(att))
	return err
}
