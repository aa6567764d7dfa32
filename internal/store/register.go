package store

import (
	"fmt"
	"time"

	"wdlab/internal/runio"
)

// Plan records a run that is going to be run (status pending, no attempt
// yet) and returns its id. For a run already in the store only its name,
// experiment and cell index are refreshed: status and attempts are kept,
// so planning a sweep again never forgets what already ran.
func (s *Store) Plan(dir, name, experiment string, cellIndex int, configYAML string) (int64, error) {
	k, err := s.key(dir)
	if err != nil {
		return 0, err
	}
	var id int64
	err = s.db.QueryRow(`
INSERT INTO runs (dir, name, experiment, cell_index, status, config_yaml, attempts)
VALUES (?, ?, ?, ?, ?, ?, 0)
ON CONFLICT (dir) DO UPDATE SET
	name = excluded.name, experiment = excluded.experiment, cell_index = excluded.cell_index
RETURNING id`, k, name, experiment, cellIndex, runio.StatusPending, configYAML).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("run store: plan %s: %w", dir, err)
	}
	return id, nil
}

// Register records that a run is starting: it inserts the run or updates
// it (upsert on dir), sets status running and the start time, clears the
// finish time and adds one to attempts. An empty configYAML keeps the
// stored config. It returns the run's id.
func (s *Store) Register(dir, name, experiment string, cellIndex int, configYAML string) (int64, error) {
	k, err := s.key(dir)
	if err != nil {
		return 0, err
	}
	now := time.Now().UTC().Format(time.RFC3339Nano)
	var id int64
	err = s.db.QueryRow(`
INSERT INTO runs (dir, name, experiment, cell_index, status, config_yaml, started, attempts)
VALUES (?, ?, ?, ?, ?, ?, ?, 1)
ON CONFLICT (dir) DO UPDATE SET
	name = excluded.name, experiment = excluded.experiment, cell_index = excluded.cell_index,
	status = excluded.status,
	config_yaml = CASE WHEN excluded.config_yaml <> '' THEN excluded.config_yaml ELSE runs.config_yaml END,
	started = excluded.started, finished = NULL, attempts = runs.attempts + 1
RETURNING id`, k, name, experiment, cellIndex, runio.StatusRunning, configYAML, now).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("run store: register %s: %w", dir, err)
	}
	return id, nil
}
