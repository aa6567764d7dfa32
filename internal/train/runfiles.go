package train

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"

	"wdlab/internal/config"
	"wdlab/internal/runio"
)

// Summary is the content of summary.json.
type Summary struct {
	Name   string             `json:"name"`
	Status string             `json:"status"`
	Epochs int                `json:"epochs,omitempty"` // vision runs only
	Steps  int                `json:"steps"`
	WallS  float64            `json:"wall_s"`
	Final  map[string]float64 `json:"final"`
	Best   map[string]float64 `json:"best"`
	Error  string             `json:"error,omitempty"`
}

// looper is a built run (vision or LM) ready to train.
type looper interface {
	loop(opts Options) (*Summary, error)
}

// start checks the run directory, builds the run (loading data and models;
// nothing is written if that fails), creates the directory and trains.
func start(cfg config.Config, dir string, opts Options, build func() (looper, error)) (*Summary, error) {
	if err := checkDir(dir, cfg, opts.Resume); err != nil {
		return nil, err
	}
	if opts.Resume {
		removeStaleTemps(dir, opts)
	}
	r, err := build()
	if err != nil {
		return nil, err
	}
	if err := createDir(dir, cfg); err != nil {
		return nil, err
	}
	s, err := r.loop(opts)
	if err != nil {
		return nil, failed(dir, cfg.Name, nil, err)
	}
	return s, nil
}

// checkDir refuses a directory that already holds a run unless resume is
// set, and a resume whose config differs from the run's config.yaml in
// anything but the executor (a run may move between executors: they share
// checkpoints and compute the same steps).
func checkDir(dir string, cfg config.Config, resume bool) error {
	if !resume {
		for _, f := range []string{runio.MetricsFile, runio.SummaryFile, runio.CheckpointDir} {
			if _, err := os.Stat(filepath.Join(dir, f)); err == nil {
				return config.Inputf("%s already holds a run (use --resume to continue it, or another --out)", dir)
			}
		}
		return nil
	}
	if old, err := os.ReadFile(filepath.Join(dir, runio.ConfigFile)); err == nil && !bytes.Equal(old, sameExecutor(old, cfg).Marshal()) {
		return config.Inputf("%s: the config differs from the run's config.yaml; resume with the same config and --set values", dir)
	}
	return nil
}

// removeStaleTemps deletes the temp files of atomic writes that a killed
// run left in dir and its checkpoint folder (best effort: a leftover only
// wastes space), saying so on opts.Log.
func removeStaleTemps(dir string, opts Options) {
	for _, d := range []string{dir, filepath.Join(dir, runio.CheckpointDir)} {
		if n, err := runio.RemoveStaleTemps(d); n > 0 && opts.Log != nil {
			fmt.Fprintf(opts.Log, "removed %d temp file(s) of interrupted writes in %s\n", n, d)
		} else if err != nil && !errors.Is(err, os.ErrNotExist) && opts.Log != nil {
			fmt.Fprintf(opts.Log, "could not clean temp files in %s: %v\n", d, err)
		}
	}
}

// checkResumedLines fails a resume whose metrics.jsonl kept fewer lines
// than existed when the checkpoint was written (want; 0 for checkpoints
// older than this check): those lines were lost or corrupted after being
// synced, and the run cannot write them again.
func checkResumedLines(dir string, got, want int) error {
	if got >= want {
		return nil
	}
	return fmt.Errorf("%s: %s has %d readable lines before the checkpoint's position, but the checkpoint was written after %d: lines were lost or corrupted by hand (restore the file or start the run in a new --out)",
		dir, runio.MetricsFile, got, want)
}

// sameExecutor returns cfg with the executor settings of the config.yaml
// text old (cfg itself when old does not parse: it then differs anyway).
func sameExecutor(old []byte, cfg config.Config) config.Config {
	prev, err := config.Parse(old, cfg.Name, nil)
	if err != nil {
		return cfg
	}
	cfg.Executor, cfg.GomlxBackend = prev.Executor, prev.GomlxBackend
	return cfg
}

// createDir makes the run directory (after every input check passed) and
// writes the resolved config.
func createDir(dir string, cfg config.Config) error {
	if err := os.MkdirAll(filepath.Join(dir, runio.CheckpointDir), 0o755); err != nil {
		return config.Inputf("cannot create run directory: %w", err)
	}
	return runio.WriteFileAtomic(filepath.Join(dir, runio.ConfigFile), cfg.Marshal(), 0o644)
}

// failed records status failed with the error in summary.json (best effort)
// and returns err.
func failed(dir, name string, lines []map[string]float64, err error) error {
	s := summarize(name, runio.StatusFailed, lines, 0, 0)
	s.Error = err.Error()
	runio.WriteJSONAtomic(filepath.Join(dir, runio.SummaryFile), s)
	return err
}

// appendMetrics writes one metrics line; non-finite values are left out
// (JSON has no NaN) and the line is fsynced.
func appendMetrics(dir string, m map[string]float64) error {
	clean := make(map[string]float64, len(m))
	for k, v := range m {
		if !math.IsNaN(v) && !math.IsInf(v, 0) {
			clean[k] = v
		}
	}
	b, err := json.Marshal(clean)
	if err != nil {
		return err
	}
	return runio.AppendLine(filepath.Join(dir, runio.MetricsFile), b)
}

// truncateMetrics keeps only the lines whose key (epoch or step) is <= upTo
// (used on resume, when lines may have been written after the last
// checkpoint) and returns them.
func truncateMetrics(dir, key string, upTo int) ([]map[string]float64, error) {
	path := filepath.Join(dir, runio.MetricsFile)
	raw, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	var keep bytes.Buffer
	var lines []map[string]float64
	sc := bufio.NewScanner(bytes.NewReader(raw))
	sc.Buffer(make([]byte, 1<<20), 1<<26)
	for sc.Scan() {
		var m map[string]float64
		if json.Unmarshal(sc.Bytes(), &m) != nil {
			break // a torn last line from a crash
		}
		if int(m[key]) > upTo {
			break
		}
		lines = append(lines, m)
		keep.Write(sc.Bytes())
		keep.WriteByte('\n')
	}
	return lines, runio.WriteFileAtomic(path, keep.Bytes(), 0o644)
}

// summarize builds the summary from all metric lines.
func summarize(name, status string, lines []map[string]float64, steps int, wall float64) Summary {
	s := Summary{Name: name, Status: status, Steps: steps, WallS: wall, Final: map[string]float64{}, Best: map[string]float64{}}
	for _, m := range lines {
		for k, v := range m {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				continue
			}
			s.Final[k] = v
			if !runio.LowerIsBetter(k) {
				continue
			}
			if b, ok := s.Best[k]; !ok || v < b {
				s.Best[k] = v
			}
		}
	}
	if len(lines) > 0 {
		s.Epochs = int(lines[len(lines)-1]["epoch"])
	}
	return s
}

// interruptedMsg is the summary's error text of an interrupted run.
const interruptedMsg = "stopped on request after saving a checkpoint; continue with --resume"
