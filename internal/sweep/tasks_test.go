package sweep

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"

	"wdlab/internal/runio"
	"wdlab/internal/store"
)

// taskEnv makes TestHelperTask act as cluster task processes: it runs the
// cells listed in the variable (comma-separated) of the sweep in
// $TASK_SWEEP into $TASK_OUT, as `wdlab sweep --index` does.
const taskEnv = "WDLAB_SWEEP_TEST_TASK_CELLS"

func TestHelperTask(t *testing.T) {
	list := os.Getenv(taskEnv)
	if list == "" {
		t.Skip("helper process of TestConcurrentTasksThenSync")
	}
	sw, err := Load(os.Getenv("TASK_SWEEP"))
	if err != nil {
		t.Fatal(err)
	}
	opt := Options{Workers: 2, TaskOnly: true, Runner: (&fakeTrainer{}).run}
	for _, s := range strings.Split(list, ",") {
		i, _ := strconv.Atoi(s)
		opt.Cells = append(opt.Cells, i)
	}
	if err := Run(context.Background(), sw, os.Getenv("TASK_OUT"), opt); err != nil {
		t.Fatal(err)
	}
}

// runTaskProcesses runs the sweep's cells in procs processes at once, cell
// i in process i % procs.
func runTaskProcesses(t *testing.T, sw *Sweep, out string, procs int) {
	t.Helper()
	var wg sync.WaitGroup
	for p := range procs {
		var cells []string
		for i := p; i < sw.NumCells(); i += procs {
			cells = append(cells, strconv.Itoa(i))
		}
		cmd := exec.Command(os.Args[0], "-test.run=^TestHelperTask$", "-test.count=1")
		cmd.Env = append(os.Environ(), taskEnv+"="+strings.Join(cells, ","), "TASK_SWEEP="+sw.Path, "TASK_OUT="+out)
		wg.Add(1)
		go func() {
			defer wg.Done()
			if b, err := cmd.CombinedOutput(); err != nil {
				t.Errorf("task process %d: %v\n%s", p, err, b)
			}
		}()
	}
	wg.Wait()
}

// Sixteen cells run by eight task processes at once never touch runs.db;
// then eight store processes sync it at once (as eight `runs ls` would), and
// the store holds exactly what the run directories say: no row lost, one
// attempt each. A second round of tasks skips every finished cell.
func TestConcurrentTasksThenSync(t *testing.T) {
	p := writeSweep(t, "name: many\nbase: base.yaml\ngrid:\n  optim.lr: [0.1, 0.2, 0.3, 0.4]\n  optim.wd: [0, 1, 2, 3]\n")
	sw, err := Load(p)
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(filepath.Dir(p), "out")
	runTaskProcesses(t, sw, out, 8)
	if _, err := os.Stat(filepath.Join(out, store.DBFile)); !os.IsNotExist(err) {
		t.Fatalf("cluster tasks created the run store (stat: %v)", err)
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cmd := exec.Command(os.Args[0], "-test.run=^TestHelperSync$", "-test.count=1")
			cmd.Env = append(os.Environ(), syncEnv+"="+out)
			if b, err := cmd.CombinedOutput(); err != nil {
				t.Errorf("sync process: %v\n%s", err, b)
			}
		}()
	}
	wg.Wait()
	checkStoreMatchesDirs(t, sw, out, 1)
	runTaskProcesses(t, sw, out, 8) // everything finished: nothing reruns
	checkStoreMatchesDirs(t, sw, out, 1)
}

// syncEnv makes TestHelperSync open the store under its value and sync it.
const syncEnv = "WDLAB_SWEEP_TEST_SYNC_ROOT"

func TestHelperSync(t *testing.T) {
	root := os.Getenv(syncEnv)
	if root == "" {
		t.Skip("helper process of TestConcurrentTasksThenSync")
	}
	st, err := store.Open(root)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.Sync(); err != nil {
		t.Fatal(err)
	}
}

// checkStoreMatchesDirs syncs the store and compares every row with its
// cell's run directory.
func checkStoreMatchesDirs(t *testing.T, sw *Sweep, out string, attempts int) {
	t.Helper()
	st, err := store.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.Sync(); err != nil {
		t.Fatal(err)
	}
	runs, err := st.List(store.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(runs) != sw.NumCells() {
		t.Fatalf("%d runs in the store, want %d", len(runs), sw.NumCells())
	}
	for i, r := range runs {
		c, _ := sw.Cell(i)
		dir := CellDir(out, c)
		sum, err := runio.ReadSummary(filepath.Join(dir, runio.SummaryFile))
		if err != nil {
			t.Fatal(err)
		}
		att, _ := store.ReadAttempts(dir)
		if r.Dir != CellsDir+"/"+c.Name() || r.Name != c.Name() || r.Experiment != "many" || r.CellIndex != i ||
			r.Status != sum.Status || r.WallS != sum.WallS || r.Attempts != attempts || len(att) != attempts {
			t.Errorf("cell %d: stored %+v, directory says %+v with %d attempts", i, r, sum, len(att))
		}
		pts, _ := st.Points(r.ID)
		want, _ := runio.ReadMetrics(filepath.Join(dir, runio.MetricsFile))
		if fmt.Sprint(pts) != fmt.Sprint(want) || !reflect.DeepEqual(pts, want) {
			t.Errorf("cell %d: stored points %v, metrics.jsonl %v", i, pts, want)
		}
	}
}

// A cluster task whose training dies before its final summary leaves
// summary.json status failed (keeping what the summary held), so that the
// store rebuilt from the directories says failed too.
func TestTaskMarksDeadTrainingFailed(t *testing.T) {
	p := writeSweep(t, "name: dead\nbase: base.yaml\ngrid:\n  optim.wd: [0, 1]\n")
	sw, err := Load(p)
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(filepath.Dir(p), "out")
	// Cell 0 dies at start-up (no summary), cell 1 mid-training.
	die := func(ctx context.Context, job Job) error {
		if job.Index == 1 {
			os.WriteFile(filepath.Join(job.Dir, runio.SummaryFile), []byte(`{"status":"running","wall_s":7}`), 0o644)
		}
		return fmt.Errorf("exit status 1")
	}
	if err := Run(context.Background(), sw, out, Options{TaskOnly: true, Runner: die}); err == nil {
		t.Fatal("want an error for failed cells")
	}
	for i, wall := range []float64{0, 7} {
		c, _ := sw.Cell(i)
		sum, err := runio.ReadSummary(filepath.Join(CellDir(out, c), runio.SummaryFile))
		if err != nil || sum.Status != "failed" || sum.WallS != wall {
			t.Errorf("cell %d summary %+v %v, want failed with wall_s %g", i, sum, err, wall)
		}
	}
	st, err := store.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if n, err := st.Sync(); err != nil || n != 2 {
		t.Fatalf("sync read %d (%v), want 2", n, err)
	}
	if runs, _ := st.List(store.Filter{Status: "failed"}); len(runs) != 2 || runs[0].Attempts != 1 || runs[0].Name != "0000-optim.wd=0" {
		t.Errorf("failed runs in the store: %+v", runs)
	}
}
