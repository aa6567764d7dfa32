package store

import (
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// DBFile is the name of the database under an output root.
const DBFile = "runs.db"

// busyTimeoutMS is how long a writer waits for another process's lock.
const busyTimeoutMS = 60000

const schema = `
CREATE TABLE IF NOT EXISTS runs (
	id          INTEGER PRIMARY KEY,
	dir         TEXT    NOT NULL UNIQUE,
	name        TEXT    NOT NULL DEFAULT '',
	experiment  TEXT    NOT NULL DEFAULT '',
	cell_index  INTEGER NOT NULL DEFAULT -1,
	status      TEXT    NOT NULL,
	config_yaml TEXT    NOT NULL DEFAULT '',
	started     TEXT,
	finished    TEXT,
	wall_s      REAL,
	attempts    INTEGER NOT NULL DEFAULT 0,
	source      TEXT    NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS metrics (
	run_id INTEGER NOT NULL,
	point  INTEGER NOT NULL,
	step   INTEGER NOT NULL,
	epoch  REAL,
	key    TEXT    NOT NULL,
	value  REAL
);
CREATE INDEX IF NOT EXISTS metrics_run ON metrics (run_id, point);
`

// Store is an open runs.db. Its methods are safe for concurrent use.
type Store struct {
	db   *sql.DB
	root string // absolute output root
}

// isNetworkFS finds the network filesystem holding a root ("" for none);
// tests replace it.
var isNetworkFS = networkFS

// journalMode is WAL on a local filesystem (readers never wait for the
// writer), and SQLite's rollback journal (DELETE) on a network one, where
// WAL does not work.
func journalMode(root string) string {
	if isNetworkFS(root) != "" {
		return "DELETE"
	}
	return "WAL"
}

// Open opens (creating if needed) ROOT/runs.db and its tables, in WAL mode
// on a local filesystem and with a rollback journal on a network one.
func Open(root string) (*Store, error) {
	abs, err := filepath.Abs(root)
	if err != nil {
		return nil, fmt.Errorf("run store: %w", err)
	}
	if err := os.MkdirAll(abs, 0o755); err != nil {
		return nil, fmt.Errorf("run store: %w", err)
	}
	path := filepath.Join(abs, DBFile)
	dsn := fmt.Sprintf("file:%s?_busy_timeout=%d&_journal_mode=%s&_synchronous=NORMAL&_txlock=immediate",
		path, busyTimeoutMS, journalMode(abs))
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("run store %s: %w", path, err)
	}
	db.SetMaxOpenConns(1) // one connection per process; processes share through SQLite's locks
	if err := migrate(db); err != nil {
		db.Close()
		return nil, fmt.Errorf("run store %s: %w", path, err)
	}
	return &Store{db: db, root: abs}, nil
}

// migrate creates the tables, and adds the source column (the fingerprint
// Sync compares) to a runs table written before it existed.
func migrate(db *sql.DB) error {
	if _, err := db.Exec(schema); err != nil {
		return err
	}
	var n int
	if err := db.QueryRow(`SELECT count(*) FROM pragma_table_info('runs') WHERE name = 'source'`).Scan(&n); err != nil || n > 0 {
		return err
	}
	_, err := db.Exec(`ALTER TABLE runs ADD COLUMN source TEXT NOT NULL DEFAULT ''`)
	return err
}

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

// key returns the form a run directory is stored under: relative to the
// root (slash-separated) when inside it, absolute otherwise.
func (s *Store) key(dir string) (string, error) {
	abs := dir
	if !filepath.IsAbs(dir) {
		var err error
		if abs, err = filepath.Abs(dir); err != nil {
			return "", fmt.Errorf("run store: %w", err)
		}
	}
	abs = filepath.Clean(abs)
	rel, err := filepath.Rel(s.root, abs)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return abs, nil
	}
	return filepath.ToSlash(rel), nil
}

// Abs returns the absolute path of a stored run directory.
func (s *Store) Abs(dir string) string {
	if filepath.IsAbs(dir) {
		return dir
	}
	return filepath.Join(s.root, filepath.FromSlash(dir))
}
