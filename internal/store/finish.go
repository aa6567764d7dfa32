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
	abs := s.Abs(k)
	status, wall := runio.StatusFailed, sql.NullFloat64{}
	sum, err := runio.ReadSummary(filepath.Join(abs, runio.SummaryFile))
	switch {
	case err == nil:
		status, wall = sum.Status, sql.NullFloat64{Float64: sum.WallS, Valid: true}
	case !errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("run store: finish: %w", err)
	}
	var pts []runio.Point
	if pts, err = runio.ReadMetrics(filepath.Join(abs, runio.MetricsFile)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("run store: finish: %w", err)
	}
	cfg, err := os.ReadFile(filepath.Join(abs, runio.ConfigFile))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("run store: finish: %w", err)
	}
	if err := s.finishTx(k, status, wall, string(cfg), pts); err != nil {
		return fmt.Errorf("run store: finish %s: %w", dir, err)
	}
	return nil
}

func (s *Store) finishTx(k, status string, wall sql.NullFloat64, cfg string, pts []runio.Point) error {
	tx, err := s.db.Begin()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var id int64
	err = tx.QueryRow(`
UPDATE runs SET status = ?, wall_s = ?, finished = ?,
	config_yaml = CASE WHEN ? <> '' THEN ? ELSE config_yaml END
WHERE dir = ? RETURNING id`,
		status, wall, time.Now().UTC().Format(time.RFC3339Nano), cfg, cfg, k).Scan(&id)
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
	for i, p := range pts {
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
	return tx.Commit()
}

// nullable stores NaN as NULL (SQLite has no NaN); NULL reads back as NaN.
func nullable(v float64) sql.NullFloat64 {
	return sql.NullFloat64{Float64: v, Valid: !math.IsNaN(v)}
}

// Import adds a run directory that was not run through a sweep (for
// example by `wdlab train`) and records its outcome. The name comes from
// summary.json, else the directory name. A run already stored is only
// finished again.
func (s *Store) Import(dir string) error {
	k, err := s.key(dir)
	if err != nil {
		return err
	}
	name := filepath.Base(s.Abs(k))
	if sum, err := runio.ReadSummary(filepath.Join(s.Abs(k), runio.SummaryFile)); err == nil && sum.Name != "" {
		name = sum.Name
	}
	if _, err := s.db.Exec(`
INSERT INTO runs (dir, name, status, attempts) VALUES (?, ?, ?, 1)
ON CONFLICT (dir) DO NOTHING`, k, name, runio.StatusRunning); err != nil {
		return fmt.Errorf("run store: import %s: %w", dir, err)
	}
	return s.Finish(dir)
}
