package serve

import (
	"encoding/json"
	"math"
	"net/http"
	"path/filepath"
	"sort"

	"wdlab/internal/report"
	"wdlab/internal/runio"
)

// runJSON is one row of /api/runs. Numbers that are absent or not finite
// are null.
type runJSON struct {
	ID       string              `json:"id"` // directory relative to the root
	Name     string              `json:"name"`
	Status   string              `json:"status"`
	Error    string              `json:"error,omitempty"`
	Progress *float64            `json:"progress"` // 0..1 of the configured epochs or steps
	Points   int                 `json:"points"`   // metrics lines read
	LR       *float64            `json:"lr"`
	WD       *float64            `json:"wd"`
	Seed     *float64            `json:"seed"`
	Final    map[string]*float64 `json:"final"`
	Best     map[string]*float64 `json:"best"`
}

// runsJSON is the body of /api/runs.
type runsJSON struct {
	Root       string    `json:"root"`
	Version    int       `json:"version"`
	Runs       []runJSON `json:"runs"`
	MetricKeys []string  `json:"metricKeys"` // every key of any metrics line
	FinalKeys  []string  `json:"finalKeys"`  // every key of any final value
}

func (s *Server) apiRuns(w http.ResponseWriter, r *http.Request) {
	var body runsJSON
	err := s.refresh(func(t *tree) {
		body = runsJSON{Root: t.root, Version: t.version, Runs: []runJSON{}}
		metric, final := map[string]bool{}, map[string]bool{}
		for _, id := range t.ids() {
			st := t.runs[id]
			row := rowOf(st)
			for _, p := range st.run.Points {
				for k := range p {
					metric[k] = true
				}
			}
			for k := range row.Final {
				final[k] = true
			}
			body.Runs = append(body.Runs, row)
		}
		body.MetricKeys, body.FinalKeys = sortedKeys(metric), sortedKeys(final)
	})
	writeJSON(w, body, err)
}

// rowOf renders one run for the table.
func rowOf(st *runState) runJSON {
	run := st.run
	row := runJSON{ID: run.Dir, Name: run.Name, Status: run.Status, Error: st.err, Points: len(run.Points),
		LR: jnum(run.LR), WD: jnum(run.WD), Final: map[string]*float64{}, Best: map[string]*float64{}}
	if st.err != "" {
		row.Status = "unreadable"
	}
	if v, ok := runio.ConfigNumber(run.Config, runio.SeedKeys...); ok {
		row.Seed = jnum(v)
	}
	row.Progress = progress(run)
	if run.Summary != nil {
		for k, v := range run.Summary.Final {
			row.Final[k] = jnum(v)
		}
		for k, v := range run.Summary.Best {
			row.Best[k] = jnum(v)
		}
	}
	if len(row.Final) == 0 && len(run.Points) > 0 { // a running run: its last values
		for k, v := range run.Points[len(run.Points)-1] {
			row.Final[k] = jnum(v)
		}
	}
	return row
}

// progress is the fraction of the configured training done: the last
// metrics line's epoch over train.epochs, else its step over train.steps;
// 1 for a completed run; nil when unknown.
func progress(run report.Run) *float64 {
	if run.Status == runio.StatusCompleted {
		one := 1.0
		return &one
	}
	if len(run.Points) == 0 {
		zero := 0.0
		return &zero
	}
	last := run.Points[len(run.Points)-1]
	for _, k := range []string{"epoch", "step"} {
		total, ok := runio.ConfigNumber(run.Config, "train."+k+"s")
		if v, has := last[k]; ok && has && total > 0 {
			return jnum(math.Min(1, v/total))
		}
	}
	return nil
}

// metricsJSON is the body of /api/metrics: the points of each asked run.
type metricsJSON struct {
	Version int                              `json:"version"`
	Runs    map[string][]map[string]*float64 `json:"runs"`
}

// apiMetrics serves the metrics lines of the runs named by the run
// parameters (ids from /api/runs); an unknown id is 404.
func (s *Server) apiMetrics(w http.ResponseWriter, r *http.Request) {
	ids := r.URL.Query()["run"]
	body := metricsJSON{Runs: map[string][]map[string]*float64{}}
	missing := ""
	err := s.refresh(func(t *tree) {
		body.Version = t.version
		for _, id := range ids {
			st, ok := t.runs[id]
			if !ok {
				missing = id
				return
			}
			pts := make([]map[string]*float64, len(st.run.Points))
			for i, p := range st.run.Points {
				pts[i] = make(map[string]*float64, len(p))
				for k, v := range p {
					pts[i][k] = jnum(v)
				}
			}
			body.Runs[id] = pts
		}
	})
	if missing != "" {
		http.Error(w, "no run "+missing, http.StatusNotFound)
		return
	}
	writeJSON(w, body, err)
}

// claimsJSON is the body of /api/claims.
type claimsJSON struct {
	Claims []Claim  `json:"claims"`
	Errors []string `json:"errors,omitempty"` // claims.json files that could not be read
}

// apiClaims serves the claims of every claims.json under the root, or,
// where there is none, the report's checks computed from the runs.
func (s *Server) apiClaims(w http.ResponseWriter, r *http.Request) {
	body := claimsJSON{Claims: []Claim{}}
	err := s.refresh(func(t *tree) {
		rels := sortedKeys(t.claimSigs)
		for _, rel := range rels {
			cs, err := readClaims(filepath.Join(t.root, filepath.FromSlash(rel)), rel)
			if err != nil {
				body.Errors = append(body.Errors, err.Error())
				continue
			}
			body.Claims = append(body.Claims, cs...)
		}
		if len(rels) == 0 {
			if runs := t.loaded(); len(runs) > 0 {
				body.Claims = append(body.Claims, computedClaims(runs)...)
			}
		}
	})
	writeJSON(w, body, err)
}

// writeJSON writes v, or err as a 500.
func writeJSON(w http.ResponseWriter, v any, err error) {
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	json.NewEncoder(w).Encode(v)
}

// jnum is v for JSON: nil when not finite.
func jnum(v float64) *float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return &v
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
