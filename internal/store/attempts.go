package store

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"wdlab/internal/runio"
)

// AttemptsFile is the file in a run directory that records, one JSON line
// per start, every time a sweep started the run. It makes the directory
// self-describing: the store rebuilds a run's sweep, cell and attempt count
// from it (see Sync), so that cluster tasks need not write the store.
const AttemptsFile = "attempts.jsonl"

// Attempt is one line of attempts.jsonl.
type Attempt struct {
	Experiment string    `json:"experiment"` // the sweep or experiment
	Name       string    `json:"name"`       // the run's display name (the cell directory's name)
	CellIndex  int       `json:"cell"`       // the sweep cell index
	Started    time.Time `json:"started"`    // when the attempt began (UTC)
	Host       string    `json:"host,omitempty"`
	Job        string    `json:"job,omitempty"` // the scheduler's job id (Slurm array job_task), if any
}

// RecordAttempt appends a to dir/attempts.jsonl (creating dir), in one
// fsynced write. Only one task runs a given cell at a time, so appends to
// one file never race, on a network filesystem either.
func RecordAttempt(dir string, a Attempt) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	line, err := json.Marshal(a)
	if err != nil {
		return err
	}
	return runio.AppendLine(filepath.Join(dir, AttemptsFile), line)
}

// ReadAttempts returns the attempts recorded in dir, oldest first; none
// (and no error) when the file is missing. A torn last line (a task killed
// mid-write) is ignored.
func ReadAttempts(dir string) ([]Attempt, error) {
	f, err := os.Open(filepath.Join(dir, AttemptsFile))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []Attempt
	var torn error // a bad line, harmless only when it is the last
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		if torn != nil {
			return nil, torn
		}
		var a Attempt
		if err := json.Unmarshal(sc.Bytes(), &a); err != nil {
			torn = fmt.Errorf("%s: line %d: %v", f.Name(), line, err)
			continue
		}
		out = append(out, a)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", f.Name(), err)
	}
	return out, nil
}
