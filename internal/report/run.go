package report

import (
	"errors"
	"fmt"
	"io/fs"
	"math"
	"path/filepath"

	"wdlab/internal/config"
	"wdlab/internal/runio"
)

// Run is one run directory loaded for the report.
type Run struct {
	Dir     string         // path relative to the report's root directory
	Name    string         // summary name, else the directory name
	Label   string         // unique name for legends: Name, plus lr and wd or the directory when shared
	Status  string         // from summary.json
	LR, WD  float64        // optim.lr and optim.wd of config.yaml; NaN when absent
	Config  map[string]any // flattened config.yaml (empty if missing)
	Summary *runio.Summary // summary.json
	Points  []runio.Point  // metrics.jsonl (empty if missing)
}

// LoadRuns loads every run directory (a folder holding summary.json) under
// root, recursively, sorted by path. It is a *config.InputError when there is
// none.
func LoadRuns(root string) ([]Run, error) {
	dirs, err := runio.FindRunDirs(root)
	if err != nil {
		return nil, err
	}
	if len(dirs) == 0 {
		return nil, config.Inputf("no run directories (folders with %s) under %s", runio.SummaryFile, root)
	}
	runs := make([]Run, 0, len(dirs))
	for _, d := range dirs {
		r, err := loadRun(root, d)
		if err != nil {
			return nil, err
		}
		runs = append(runs, r)
	}
	label(runs)
	return runs, nil
}

// label sets unique legend labels: the name alone when unique, else the name
// with lr and wd, else the name with the directory.
func label(runs []Run) {
	count := func(f func(Run) string) map[string]int {
		n := map[string]int{}
		for _, r := range runs {
			n[f(r)]++
		}
		return n
	}
	names := count(func(r Run) string { return r.Name })
	withHP := func(r Run) string { return fmt.Sprintf("%s lr=%s wd=%s", r.Name, num(r.LR), num(r.WD)) }
	hps := count(withHP)
	for i, r := range runs {
		switch {
		case names[r.Name] == 1:
			runs[i].Label = r.Name
		case r.HasLRWD() && hps[withHP(r)] == 1:
			runs[i].Label = withHP(r)
		default:
			runs[i].Label = r.Name + " " + r.Dir
		}
	}
}

func loadRun(root, dir string) (Run, error) {
	rel, err := filepath.Rel(root, dir)
	if err != nil {
		rel = dir
	}
	r := Run{Dir: filepath.ToSlash(rel), LR: math.NaN(), WD: math.NaN(), Config: map[string]any{}}
	if r.Summary, err = runio.ReadSummary(filepath.Join(dir, runio.SummaryFile)); err != nil {
		return r, err
	}
	r.Status, r.Name = r.Summary.Status, r.Summary.Name
	if r.Name == "" {
		r.Name = filepath.Base(dir)
	}
	if cfg, err := runio.ReadConfig(filepath.Join(dir, runio.ConfigFile)); err == nil {
		r.Config = cfg
	} else if !errors.Is(err, fs.ErrNotExist) {
		return r, err
	}
	if v, ok := runio.ConfigNumber(r.Config, runio.LRKeys...); ok {
		r.LR = v
	}
	if v, ok := runio.ConfigNumber(r.Config, runio.WDKeys...); ok {
		r.WD = v
	}
	if r.Points, err = runio.ReadMetrics(filepath.Join(dir, runio.MetricsFile)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return r, err
	}
	return r, nil
}

// Final returns the run's final value of key: summary.json's "final" entry,
// else the last finite value in metrics.jsonl.
func (r Run) Final(key string) (float64, bool) {
	if r.Summary != nil {
		if v, ok := r.Summary.Final[key]; ok {
			return v, true
		}
	}
	for i := len(r.Points) - 1; i >= 0; i-- {
		if v, ok := r.Points[i][key]; ok && finite(v) {
			return v, true
		}
	}
	return 0, false
}

// Has reports whether any evaluation point of the run records key.
func (r Run) Has(key string) bool {
	for _, p := range r.Points {
		if _, ok := p[key]; ok {
			return true
		}
	}
	return false
}

// Series returns the finite (x, y) pairs of the points recording both keys.
func (r Run) Series(x, y string) (xs, ys []float64) {
	for _, p := range r.Points {
		xv, okx := p[x]
		yv, oky := p[y]
		if okx && oky && finite(xv) && finite(yv) {
			xs, ys = append(xs, xv), append(ys, yv)
		}
	}
	return xs, ys
}

// HasLRWD reports whether the run's config gives both lr and wd.
func (r Run) HasLRWD() bool { return finite(r.LR) && finite(r.WD) }

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
