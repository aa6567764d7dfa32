package store

import (
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Sync reads new and changed run directories only, and takes a run's
// sweep, cell, name and attempts from attempts.jsonl.
func TestSyncIncremental(t *testing.T) {
	root := t.TempDir()
	cell, plain := filepath.Join(root, "cells", "0003-x=1"), filepath.Join(root, "plain")
	writeRun(t, cell, map[string]string{"metrics.jsonl": metricsV1, "summary.json": `{"status":"interrupted","wall_s":4}`})
	writeRun(t, plain, map[string]string{"summary.json": `{"status":"completed","name":"p"}`})
	t0 := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	for i := range 2 {
		a := Attempt{Experiment: "sw", Name: "0003-x=1", CellIndex: 3, Started: t0.Add(time.Duration(i) * time.Hour), Job: "7_3"}
		if err := RecordAttempt(cell, a); err != nil {
			t.Fatal(err)
		}
	}
	s := open(t, root)
	sync := func(want int) {
		t.Helper()
		if n, err := s.Sync(); err != nil || n != want {
			t.Fatalf("Sync read %d directories (%v), want %d", n, err, want)
		}
	}
	sync(2)
	r, _ := s.Get(cell)
	if r.Experiment != "sw" || r.CellIndex != 3 || r.Name != "0003-x=1" || r.Attempts != 2 ||
		r.Status != "interrupted" || r.WallS != 4 || !r.Started.Equal(t0.Add(time.Hour)) {
		t.Errorf("cell run %+v", r)
	}
	if pts, _ := s.Points(r.ID); len(pts) != 2 {
		t.Errorf("%d points, want 2", len(pts))
	}
	if p, _ := s.Get(plain); p.Name != "p" || p.Attempts != 1 || p.CellIndex != -1 || p.Status != "completed" {
		t.Errorf("plain run %+v", p)
	}
	sync(0)
	// The cell resumes and completes: a third attempt and a new summary.
	RecordAttempt(cell, Attempt{Experiment: "sw", Name: "0003-x=1", CellIndex: 3, Started: t0.Add(2 * time.Hour)})
	writeRun(t, cell, map[string]string{"summary.json": `{"status":"completed","wall_s":9}`, "metrics.jsonl": `{"step":1,"test_err":0.5}` + "\n"})
	sync(1)
	if r, _ = s.Get(cell); r.Attempts != 3 || r.Status != "completed" || r.WallS != 9 {
		t.Errorf("after the rerun %+v", r)
	}
	if pts, _ := s.Points(r.ID); len(pts) != 1 {
		t.Errorf("%d points after the rerun, want 1", len(pts))
	}
	// A run registered and finished through the store is not read again.
	reg := filepath.Join(root, "reg")
	writeRun(t, reg, map[string]string{"summary.json": `{"status":"completed"}`})
	if _, err := s.Register(reg, "reg", "e", 0, ""); err != nil {
		t.Fatal(err)
	}
	if err := s.Finish(reg); err != nil {
		t.Fatal(err)
	}
	sync(0)
	// A rebuilt store (runs.db deleted) says the same.
	s.Close()
	os.Remove(filepath.Join(root, DBFile))
	s = open(t, root)
	sync(3)
	if r, _ = s.Get(cell); r.Attempts != 3 || r.Experiment != "sw" || r.Status != "completed" {
		t.Errorf("rebuilt %+v", r)
	}
}

func TestReadAttempts(t *testing.T) {
	dir := t.TempDir()
	if a, err := ReadAttempts(dir); err != nil || a != nil {
		t.Errorf("no file: %v %v", a, err)
	}
	good := `{"experiment":"e","name":"n","cell":1,"started":"2026-01-02T03:04:05Z"}`
	p := filepath.Join(dir, AttemptsFile)
	os.WriteFile(p, []byte(good+"\n"+good+"\n"+`{"experi`), 0o644)
	if a, err := ReadAttempts(dir); err != nil || len(a) != 2 || a[1].CellIndex != 1 || a[0].Experiment != "e" {
		t.Errorf("torn last line: %+v %v", a, err)
	}
	os.WriteFile(p, []byte(good+"\n{bad\n"+good+"\n"), 0o644)
	if _, err := ReadAttempts(dir); err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("a bad line that is not the last: want an error naming line 2, got %v", err)
	}
}

// A runs.db written before the source column existed gains it on Open.
func TestOpenMigratesOldStore(t *testing.T) {
	root := t.TempDir()
	db, err := sql.Open("sqlite", filepath.Join(root, DBFile))
	if err != nil {
		t.Fatal(err)
	}
	old := strings.Replace(schema, ",\n\tsource      TEXT    NOT NULL DEFAULT ''", "", 1)
	if old == schema {
		t.Fatal("test cannot build the old schema")
	}
	if _, err := db.Exec(old + `INSERT INTO runs (dir, status, attempts) VALUES ('a', 'completed', 2);`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	writeRun(t, filepath.Join(root, "a"), map[string]string{"summary.json": `{"status":"completed"}`})
	s := open(t, root)
	if n, err := s.Sync(); err != nil || n != 1 {
		t.Fatalf("sync of a migrated store: %d %v", n, err)
	}
	if r, _ := s.Get(filepath.Join(root, "a")); r.Attempts != 2 {
		t.Errorf("migrated run %+v: attempts must be kept", r)
	}
}
