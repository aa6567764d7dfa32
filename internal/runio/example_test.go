package runio_test

import (
	"fmt"
	"os"
	"path/filepath"

	"wdlab/internal/runio"
)

// Metrics are appended one fsynced line at a time and read back as points.
func ExampleAppendLine() {
	dir, _ := os.MkdirTemp("", "runio-example")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, runio.MetricsFile)
	runio.AppendLine(path, []byte(`{"epoch":1,"test_err":0.5}`))
	runio.AppendLine(path, []byte(`{"epoch":2,"test_err":0.25}`))
	pts, _ := runio.ReadMetrics(path)
	fmt.Println(len(pts), pts[1]["test_err"])
	// Output: 2 0.25
}
