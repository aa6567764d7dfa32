package store

import (
	"database/sql"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"wdlab/internal/runio"
)

const runColumns = `id, dir, name, experiment, cell_index, status, config_yaml, started, finished, wall_s, attempts`

// ErrNotFound is returned by Get for a directory the store does not hold.
var ErrNotFound = errors.New("run not found in the store")

type scanner interface{ Scan(dest ...any) error }

func scanRun(sc scanner) (Run, error) {
	var r Run
	var started, finished sql.NullString
	var wall sql.NullFloat64
	err := sc.Scan(&r.ID, &r.Dir, &r.Name, &r.Experiment, &r.CellIndex, &r.Status, &r.ConfigYAML,
		&started, &finished, &wall, &r.Attempts)
	if err != nil {
		return r, err
	}
	r.Started, _ = time.Parse(time.RFC3339Nano, started.String)
	r.Finished, _ = time.Parse(time.RFC3339Nano, finished.String)
	r.WallS = wall.Float64
	return r, nil
}

// List returns the runs matching f, ordered by experiment, cell index and
// directory.
func (s *Store) List(f Filter) ([]Run, error) {
	var where []string
	var args []any
	if f.Experiment != "" {
		where, args = append(where, "experiment = ?"), append(args, f.Experiment)
	}
	if f.Status != "" {
		where, args = append(where, "status = ?"), append(args, f.Status)
	}
	q := "SELECT " + runColumns + " FROM runs"
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	rows, err := s.db.Query(q+" ORDER BY experiment, cell_index, dir", args...)
	if err != nil {
		return nil, fmt.Errorf("run store: list: %w", err)
	}
	defer rows.Close()
	var runs []Run
	for rows.Next() {
		r, err := scanRun(rows)
		if err != nil {
			return nil, fmt.Errorf("run store: list: %w", err)
		}
		runs = append(runs, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("run store: list: %w", err)
	}
	return runs, nil
}

// Get returns the run stored for dir, or an error wrapping ErrNotFound.
func (s *Store) Get(dir string) (Run, error) {
	k, err := s.key(dir)
	if err != nil {
		return Run{}, err
	}
	r, err := scanRun(s.db.QueryRow("SELECT "+runColumns+" FROM runs WHERE dir = ?", k))
	if errors.Is(err, sql.ErrNoRows) {
		return r, fmt.Errorf("run store: %s: %w", dir, ErrNotFound)
	}
	if err != nil {
		return r, fmt.Errorf("run store: get %s: %w", dir, err)
	}
	return r, nil
}

// Points returns a run's evaluation points in file order, with "step" and
// "epoch" (when recorded) among the keys. NaN values read back as NaN.
func (s *Store) Points(runID int64) ([]runio.Point, error) {
	rows, err := s.db.Query(`SELECT point, step, epoch, key, value FROM metrics WHERE run_id = ? ORDER BY point, key`, runID)
	if err != nil {
		return nil, fmt.Errorf("run store: metrics of run %d: %w", runID, err)
	}
	defer rows.Close()
	var pts []runio.Point
	last := int64(-1)
	for rows.Next() {
		var point, step int64
		var epoch, value sql.NullFloat64
		var key string
		if err := rows.Scan(&point, &step, &epoch, &key, &value); err != nil {
			return nil, fmt.Errorf("run store: metrics of run %d: %w", runID, err)
		}
		if point != last {
			p := runio.Point{"step": float64(step)}
			if epoch.Valid {
				p["epoch"] = epoch.Float64
			}
			pts, last = append(pts, p), point
		}
		v := math.NaN()
		if value.Valid {
			v = value.Float64
		}
		pts[len(pts)-1][key] = v
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("run store: metrics of run %d: %w", runID, err)
	}
	return pts, nil
}
