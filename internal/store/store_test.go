package store

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

// writeRun writes a run directory with the given files (name -> content).
func writeRun(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func open(t *testing.T, root string) *Store {
	t.Helper()
	s, err := Open(root)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestOpenUsesWAL(t *testing.T) {
	root := filepath.Join(t.TempDir(), "out")
	s := open(t, root)
	var mode string
	if err := s.db.QueryRow("PRAGMA journal_mode").Scan(&mode); err != nil || mode != "wal" {
		t.Errorf("journal_mode %q %v, want wal", mode, err)
	}
	if _, err := os.Stat(filepath.Join(root, DBFile)); err != nil {
		t.Error(err)
	}
}

func TestRegisterCountsAttempts(t *testing.T) {
	root := t.TempDir()
	s := open(t, root)
	dir := filepath.Join(root, "cells", "0001")
	id0, err := s.Plan(dir, "c1", "sw", 1, "a: 1\n")
	if err != nil {
		t.Fatal(err)
	}
	r, _ := s.Get(dir)
	if r.Status != "pending" || r.Attempts != 0 || r.Dir != "cells/0001" || r.CellIndex != 1 || !r.Started.IsZero() {
		t.Errorf("planned run %+v", r)
	}
	for i := 1; i <= 2; i++ {
		id, err := s.Register(dir, "c1", "sw", 1, "")
		if err != nil || id != id0 {
			t.Fatalf("register: id %d (want %d), %v", id, id0, err)
		}
		r, _ = s.Get(dir)
		if r.Attempts != i || r.Status != "running" || r.ConfigYAML != "a: 1\n" || r.Started.IsZero() {
			t.Errorf("after %d registrations: %+v", i, r)
		}
	}
	if _, err := s.Plan(dir, "c1", "sw", 1, ""); err != nil {
		t.Fatal(err)
	}
	if r, _ = s.Get(dir); r.Attempts != 2 || r.Status != "running" {
		t.Errorf("planning again must keep status and attempts: %+v", r)
	}
	if _, err := s.Get(filepath.Join(root, "other")); !errors.Is(err, ErrNotFound) {
		t.Errorf("want ErrNotFound, got %v", err)
	}
	outside := filepath.Join(t.TempDir(), "run")
	if _, err := s.Register(outside, "o", "", -1, ""); err != nil {
		t.Fatal(err)
	}
	if r, _ := s.Get(outside); r.Dir != outside {
		t.Errorf("a run outside the root is stored by absolute path, got %q", r.Dir)
	}
}

const metricsV1 = `{"step":10,"epoch":1,"test_err":0.5,"train_ce":1.25}
{"step":20,"epoch":2,"test_err":0.25,"train_ce":"NaN"}
`

func TestFinishStoresOutcomeIdempotently(t *testing.T) {
	root := t.TempDir()
	s := open(t, root)
	dir := filepath.Join(root, "r1")
	writeRun(t, dir, map[string]string{
		"config.yaml":   "seed: 1\noptim:\n  lr: 0.1\n  wd: 0.01\n",
		"metrics.jsonl": metricsV1,
		"summary.json":  `{"status":"completed","wall_s":12.5,"final":{"test_err":0.25}}`,
	})
	if err := s.Finish(dir); err == nil {
		t.Error("finishing an unregistered run must fail")
	}
	id, err := s.Register(dir, "r1", "e", -1, "")
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if err := s.Finish(dir); err != nil {
			t.Fatal(err)
		}
	}
	r, _ := s.Get(dir)
	if r.Status != "completed" || r.WallS != 12.5 || r.Finished.IsZero() || r.ConfigYAML == "" {
		t.Errorf("finished run %+v", r)
	}
	var n int
	s.db.QueryRow("SELECT count(*) FROM metrics WHERE run_id = ?", id).Scan(&n)
	if n != 4 {
		t.Errorf("%d metric rows after two Finish calls, want 4", n)
	}
	pts, err := s.Points(id)
	if err != nil {
		t.Fatal(err)
	}
	if len(pts) != 2 || pts[0]["step"] != 10 || pts[1]["epoch"] != 2 || pts[1]["test_err"] != 0.25 || !math.IsNaN(pts[1]["train_ce"]) {
		t.Errorf("points %v", pts)
	}
	// A rerun that rewrote metrics.jsonl replaces the old rows.
	writeRun(t, dir, map[string]string{"metrics.jsonl": `{"step":5,"test_err":0.75}` + "\n"})
	if err := s.Finish(dir); err != nil {
		t.Fatal(err)
	}
	if pts, _ = s.Points(id); len(pts) != 1 || pts[0]["test_err"] != 0.75 {
		t.Errorf("points after rewrite %v", pts)
	}
}

func TestFinishWithoutSummaryIsFailed(t *testing.T) {
	root := t.TempDir()
	s := open(t, root)
	dir := filepath.Join(root, "crashed")
	writeRun(t, dir, map[string]string{"metrics.jsonl": metricsV1})
	if _, err := s.Register(dir, "x", "", -1, ""); err != nil {
		t.Fatal(err)
	}
	if err := s.Finish(dir); err != nil {
		t.Fatal(err)
	}
	if r, _ := s.Get(dir); r.Status != "failed" {
		t.Errorf("status %q, want failed", r.Status)
	}
	writeRun(t, dir, map[string]string{"summary.json": `{"status":"bogus"}`})
	if err := s.Finish(dir); err == nil {
		t.Error("want an error for an invalid summary.json")
	}
}

func TestImportAndList(t *testing.T) {
	root := t.TempDir()
	s := open(t, root)
	a, b := filepath.Join(root, "a"), filepath.Join(root, "b")
	writeRun(t, a, map[string]string{"summary.json": `{"status":"diverged","name":"alpha"}`})
	writeRun(t, b, map[string]string{"summary.json": `{"status":"completed"}`})
	for _, d := range []string{a, b, a} {
		if err := s.Import(d); err != nil {
			t.Fatal(err)
		}
	}
	all, err := s.List(Filter{})
	if err != nil || len(all) != 2 || all[0].Name != "alpha" || all[1].Name != "b" || all[0].Attempts != 1 {
		t.Fatalf("list %+v %v", all, err)
	}
	done, _ := s.List(Filter{Status: "completed"})
	if len(done) != 1 || done[0].Dir != "b" {
		t.Errorf("filtered list %+v", done)
	}
	if none, _ := s.List(Filter{Experiment: "nope"}); len(none) != 0 {
		t.Errorf("experiment filter %+v", none)
	}
}

func TestExportCSV(t *testing.T) {
	root := t.TempDir()
	s := open(t, root)
	r1, r2 := filepath.Join(root, "r1"), filepath.Join(root, "r2")
	writeRun(t, r1, map[string]string{
		"config.yaml":   "optim:\n  lr: 0.1\n  wd: 0.01\n",
		"metrics.jsonl": metricsV1,
		"summary.json":  `{"status":"completed"}`,
	})
	writeRun(t, r2, map[string]string{"config.yaml": "optim:\n  lr: 0.2\n"})
	s.Register(r1, "r1", "e", 0, "")
	s.Register(r2, "r2", "e", 1, "")
	for _, d := range []string{r1, r2} {
		if err := s.Finish(d); err != nil {
			t.Fatal(err)
		}
	}
	runs, _ := s.List(Filter{})
	var buf bytes.Buffer
	if err := s.ExportCSV(&buf, runs); err != nil {
		t.Fatal(err)
	}
	want := `run,cell,status,config_lr,config_wd,step,epoch,test_err,train_ce
r1,0,completed,0.1,0.01,10,1,0.5,1.25
r1,0,completed,0.1,0.01,20,2,0.25,NaN
r2,1,failed,0.2,,,,,
`
	if buf.String() != want {
		t.Errorf("got\n%s\nwant\n%s", buf.String(), want)
	}
}

// Several handles on one database (as several worker processes have)
// write concurrently without "database is locked" errors.
func TestConcurrentWriters(t *testing.T) {
	root := t.TempDir()
	const writers, runs = 4, 8
	var wg sync.WaitGroup
	errs := make(chan error, writers*runs)
	for w := range writers {
		for i := range runs {
			writeRun(t, filepath.Join(root, fmt.Sprintf("w%d-%d", w, i)),
				map[string]string{"metrics.jsonl": metricsV1, "summary.json": `{"status":"completed"}`})
		}
	}
	for w := range writers {
		s := open(t, root)
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range runs {
				dir := filepath.Join(root, fmt.Sprintf("w%d-%d", w, i))
				if _, err := s.Register(dir, "", "c", i, ""); err != nil {
					errs <- err
					continue
				}
				if err := s.Finish(dir); err != nil {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	all, _ := open(t, root).List(Filter{Status: "completed"})
	if len(all) != writers*runs {
		t.Errorf("%d completed runs, want %d", len(all), writers*runs)
	}
}

// On a network filesystem the store uses a rollback journal, not WAL.
func TestOpenOnNetworkFSUsesRollbackJournal(t *testing.T) {
	isNetworkFS = func(string) string { return "nfs" }
	defer func() { isNetworkFS = networkFS }()
	s := open(t, t.TempDir())
	var mode string
	if err := s.db.QueryRow("PRAGMA journal_mode").Scan(&mode); err != nil || mode != "delete" {
		t.Errorf("journal_mode %q %v, want delete", mode, err)
	}
}
