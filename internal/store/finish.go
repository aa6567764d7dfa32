package store

import (
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"sort"
	"time"

	"wdlab/internal/runio"
)

// runFiles is what a run directory says about its outcome.
type runFiles struct {
	status string
	name   string // summary.json's name, if any
	wall   sql.NullFloat64
	cfg    string
	pts    []runio.Point
	source string // fingerprint of the files read (see fingerprint)
}

// readRunFiles reads the outcome files of the run directory abs: status
// and wall time of summary.json (status failed when there is no summary),
// config.yaml and metrics.jsonl when present.
func readRunFiles(abs string) (runFiles, error) {
	f := runFiles{status: runio.StatusFailed, source: fingerprint(abs)}
	sum, err := runio.ReadSummary(filepath.Join(abs, runio.SummaryFile))
	switch {
	case err == nil:
		f.status, f.name, f.wall = sum.Status, sum.Name, sql.NullFloat64{Float64: sum.WallS, Valid: true}
	case !errors.Is(err, fs.ErrNotExist):
		return f, err
	}
	if f.pts, err = runio.ReadMetrics(filepath.Join(abs, runio.MetricsFile)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return f, err
	}
	cfg, err := os.ReadFile(filepath.Join(abs, runio.ConfigFile))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return f, err
	}
	f.cfg = string(cfg)
	return f, nil
}

// Finish records the outcome of a registered run from its directory: the
// status and wall time of summary.json (status failed when the run left no
// summary), the resolved config.yaml when present, and every metric of
// metrics.jsonl, replacing the run's previous metric rows so that calling
// Finish again is harmless.
func (s *Store) Finish(dir string) error {
	k, err := s.key(dir)
	if err != nil {
		return err
	}
	f, err := readRunFiles(s.Abs(k))
	if err != nil {
		return fmt.Errorf("run store: finish: %w", err)
	}
	err = s.inTx(func(tx *sql.Tx) error { return finishTx(tx, k, f) })
	if err != nil {
		return fmt.Errorf("run store: finish %s: %w", dir, err)
	}
	return nil
}

// inTx runs f in a transaction, committing when it returns nil.
func (s *Store) inTx(f func(tx *sql.Tx) error) error {
	tx, err := s.db.Begin()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := f(tx); err != nil {
		return err
	}
	return tx.Commit()
}

// finishTx stores the outcome f of the registered run k and replaces its
// metric rows.
func finishTx(tx *sql.Tx, k string, f runFiles) error {
	var id int64
	err := tx.QueryRow(`
UPDATE runs SET status = ?, wall_s = ?, finished = ?, source = ?,
	config_yaml = CASE WHEN ? <> '' THEN ? ELSE config_yaml END
WHERE dir = ? RETURNING id`,
		f.status, f.wall, time.Now().UTC().Format(time.RFC3339Nano), f.source, f.cfg, f.cfg, k).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return errors.New("run is not registered")
	}
	if err != nil {
		return err
	}
	if _, err := tx.Exec(`DELETE FROM metrics WHERE run_id = ?`, id); err != nil {
		return err
	}
	ins, err := tx.Prepare(`INSERT INTO metrics (run_id, point, step, epoch, key, value) VALUES (?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	defer ins.Close()
	for i, p := range f.pts {
		step := int64(i)
		if v, ok := p["step"]; ok && !math.IsNaN(v) {
			step = int64(v)
		}
		epoch := sql.NullFloat64{}
		if v, ok := p["epoch"]; ok {
			epoch = nullable(v)
		}
		keys := make([]string, 0, len(p))
		for key := range p {
			if key != "step" && key != "epoch" {
				keys = append(keys, key)
			}
		}
		sort.Strings(keys)
		for _, key := range keys {
			if _, err := ins.Exec(id, i, step, epoch, key, nullable(p[key])); err != nil {
				return err
			}
		}
	}
	return nil
}

// nullable stores NaN as NULL (SQLite has no NaN); NULL reads back as NaN.
func nullable(v float64) sql.NullFloat64 {
	return sql.NullFloat64{Float64: v, Valid: !math.IsNaN(v)}
}
