package store_test

import (
	"fmt"
	"os"
	"path/filepath"

	"wdlab/internal/store"
)

// A run is registered before it starts and finished from its directory.
func ExampleStore_Finish() {
	root, _ := os.MkdirTemp("", "store-example")
	defer os.RemoveAll(root)
	dir := filepath.Join(root, "run1")
	os.MkdirAll(dir, 0o755)
	os.WriteFile(filepath.Join(dir, "metrics.jsonl"), []byte(`{"step":100,"test_err":0.25}`+"\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "summary.json"), []byte(`{"status":"completed","wall_s":3}`), 0o644)

	st, err := store.Open(root)
	if err != nil {
		panic(err)
	}
	defer st.Close()
	id, _ := st.Register(dir, "run1", "demo", -1, "")
	if err := st.Finish(dir); err != nil {
		panic(err)
	}
	r, _ := st.Get(dir)
	pts, _ := st.Points(id)
	fmt.Println(r.Dir, r.Status, r.Attempts, r.WallS, pts[0]["test_err"])
	// Output: run1 completed 1 3 0.25
}
