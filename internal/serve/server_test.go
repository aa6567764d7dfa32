package serve

import (
	"bufio"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"wdlab/internal/runio"
)

func get(t *testing.T, url string, v any) int {
	t.Helper()
	resp, err := http.Get(url)
	must(t, err)
	defer resp.Body.Close()
	if v != nil && resp.StatusCode == 200 {
		must(t, json.NewDecoder(resp.Body).Decode(v))
	}
	return resp.StatusCode
}

func TestServeRunsAndMetrics(t *testing.T) {
	root := t.TempDir()
	ids := writeSweep(t, root)
	writeRun(t, filepath.Join(root, "live"), 0.1, 0, 0, 2, 8, "running")
	s, err := New(root)
	must(t, err)
	ts := httptest.NewServer(s)
	defer ts.Close()

	var runs runsJSON
	if code := get(t, ts.URL+"/api/runs", &runs); code != 200 || len(runs.Runs) != len(ids)+1 {
		t.Fatalf("code %d, %d runs, want %d", code, len(runs.Runs), len(ids)+1)
	}
	live := runs.Runs[0]
	if live.ID != "live" || live.Status != "running" || live.Progress == nil || *live.Progress != 0.25 || *live.LR != 0.1 || *live.WD != 0 {
		t.Errorf("live run row: %+v", live)
	}
	r := runs.Runs[len(runs.Runs)-1] // sweep/lr0.4-wd0.0005-s1
	want := metricLine(3, 0.4, 5e-4)
	if r.ID != ids[len(ids)-1] || *r.Seed != 1 || *r.Final["test_err"] != want["test_err"] || *r.Progress != 1 {
		t.Errorf("last row %+v, want test_err %v", r, want["test_err"])
	}
	if strings.Join(runs.MetricKeys, ",") != "ema_test_err,epoch,param_norm,test_err" {
		t.Errorf("metric keys %v", runs.MetricKeys)
	}

	var m metricsJSON
	if code := get(t, ts.URL+"/api/metrics?run=live&run="+ids[0], &m); code != 200 || len(m.Runs["live"]) != 2 || len(m.Runs[ids[0]]) != 3 {
		t.Fatalf("metrics: code %d, %v", code, m)
	}
	if got := *m.Runs[ids[0]][1]["ema_test_err"]; got != metricLine(2, 0.1, 1e-4)["ema_test_err"] {
		t.Errorf("ema_test_err at epoch 2 = %v", got)
	}
	if code := get(t, ts.URL+"/api/metrics?run=nope", nil); code != 404 {
		t.Errorf("unknown run: %d, want 404", code)
	}
}

// A run appearing, one growing and one turning unreadable all show up in
// the next scan with a new version; the unreadable one does not hide the
// others.
func TestServeSurvivesChanges(t *testing.T) {
	root := t.TempDir()
	writeRun(t, filepath.Join(root, "a"), 0.1, 1e-4, 0, 1, 4, "running")
	s, err := New(root)
	must(t, err)
	s.Interval = 0
	ts := httptest.NewServer(s)
	defer ts.Close()
	var before, after runsJSON
	get(t, ts.URL+"/api/runs", &before)
	line, _ := json.Marshal(metricLine(2, 0.1, 1e-4))
	must(t, runio.AppendLine(filepath.Join(root, "a", "metrics.jsonl"), line))
	writeRun(t, filepath.Join(root, "b"), 0.2, 1e-4, 0, 1, 4, "running")
	must(t, os.MkdirAll(filepath.Join(root, "c"), 0o755))
	must(t, os.WriteFile(filepath.Join(root, "c", "summary.json"), []byte("{torn"), 0o644))
	get(t, ts.URL+"/api/runs", &after)
	if after.Version <= before.Version || len(after.Runs) != 3 {
		t.Fatalf("version %d -> %d, %d runs", before.Version, after.Version, len(after.Runs))
	}
	if a := after.Runs[0]; a.Points != 2 || *a.Progress != 0.5 {
		t.Errorf("grown run: %+v", a)
	}
	if c := after.Runs[2]; c.Status != "unreadable" || !strings.Contains(c.Error, "summary.json") {
		t.Errorf("torn run: %+v", c)
	}
	var again runsJSON
	get(t, ts.URL+"/api/runs", &again)
	if again.Version != after.Version {
		t.Errorf("version moved without a change: %d -> %d", after.Version, again.Version)
	}
	// A resume rewrites metrics.jsonl back to its checkpoint's lines.
	must(t, runio.WriteFileAtomic(filepath.Join(root, "a", "metrics.jsonl"), line[:0], 0o644))
	get(t, ts.URL+"/api/runs", &again)
	if a := again.Runs[0]; again.Version != after.Version+1 || a.Points != 0 || *a.Progress != 0 {
		t.Errorf("after the rewrite: version %d, row %+v", again.Version, a)
	}
}

func TestServeClaims(t *testing.T) {
	root := t.TempDir()
	writeSweep(t, root)
	s, err := New(root)
	must(t, err)
	s.Interval = 0
	ts := httptest.NewServer(s)
	defer ts.Close()
	var c claimsJSON
	get(t, ts.URL+"/api/claims", &c)
	if len(c.Claims) != 3 || c.Claims[0].Source != "computed" || c.Claims[0].ID != "S1" || c.Claims[2].ID != "S6" {
		t.Fatalf("computed claims: %+v", c.Claims)
	}
	must(t, os.MkdirAll(filepath.Join(root, "report"), 0o755))
	js := `[{"experiment":"fig2","id":"S1","claim":"c1","verdict":"holds","evidence":"e1","seeds":2}]`
	must(t, os.WriteFile(filepath.Join(root, "report", ClaimsFile), []byte(js), 0o644))
	get(t, ts.URL+"/api/claims", &c)
	if len(c.Claims) != 1 || c.Claims[0].ID != "S1" || c.Claims[0].Source != "report/claims.json" || c.Claims[0].Seeds != 2 {
		t.Fatalf("claims.json: %+v", c.Claims)
	}
}

// rawGet sends path verbatim (no client-side cleaning) and returns the
// status code.
func rawGet(t *testing.T, addr, path string) int {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	must(t, err)
	defer conn.Close()
	fmt.Fprintf(conn, "GET %s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", path)
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	must(t, err)
	resp.Body.Close()
	return resp.StatusCode
}

// snapshot hashes every file under root with its mode and time.
func snapshot(t *testing.T, root string) string {
	var b strings.Builder
	must(t, filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		st, _ := d.Info()
		data, _ := os.ReadFile(p)
		fmt.Fprintf(&b, "%s %v %v %x\n", p, st.Mode(), st.ModTime().UnixNano(), sha256.Sum256(data))
		return nil
	}))
	return b.String()
}

func TestServeNoEscapeAndReadOnly(t *testing.T) {
	root := t.TempDir()
	ids := writeSweep(t, root)
	secret := filepath.Join(filepath.Dir(root), "secret.txt")
	must(t, os.WriteFile(secret, []byte("secret"), 0o644))
	defer os.Remove(secret)
	before := snapshot(t, root)
	s, err := New(root)
	must(t, err)
	ts := httptest.NewServer(s)
	defer ts.Close()
	addr := strings.TrimPrefix(ts.URL, "http://")
	for path, want := range map[string]int{
		"/":                                                 200,
		"/static/echarts.min.js":                            200,
		"/static/ECHARTS-LICENSE":                           200,
		"/../../etc/passwd":                                 400,
		"/static/../../etc/passwd":                          400,
		"/static/%2e%2e/%2e%2e/etc/passwd":                  400,
		"/api/metrics?run=../secret.txt":                    400,
		"/api/metrics?run=%2e%2e%2fsecret.txt":              404, // decoded to an unknown id
		"/api/metrics?run=/etc/passwd":                      404,
		"/etc/passwd":                                       404,
		"/sweep/" + filepath.Base(ids[0]) + "/summary.json": 404,
		"/static/static/index.html":                         404,
		"/static/":                                          404,
	} {
		if got := rawGet(t, addr, path); got != want {
			t.Errorf("GET %s: %d, want %d", path, got, want)
		}
	}
	resp, err := http.Post(ts.URL+"/api/runs", "text/plain", strings.NewReader("x"))
	must(t, err)
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST: %d", resp.StatusCode)
	}
	for _, p := range []string{"/api/runs", "/api/claims", "/api/metrics?run=" + ids[0]} {
		get(t, ts.URL+p, nil)
	}
	if after := snapshot(t, root); after != before {
		t.Errorf("the server changed the tree:\n%s\nvs\n%s", before, after)
	}
}

// The event stream sends the current version at once and a new one after
// a metrics line is appended.
func TestServeEvents(t *testing.T) {
	root := t.TempDir()
	writeRun(t, filepath.Join(root, "a"), 0.1, 1e-4, 0, 1, 4, "running")
	s, err := New(root)
	must(t, err)
	s.Interval = 20 * time.Millisecond
	ts := httptest.NewServer(s)
	defer ts.Close()
	resp, err := http.Get(ts.URL + "/api/events")
	must(t, err)
	defer resp.Body.Close()
	rd := bufio.NewReader(resp.Body)
	next := func() string {
		for {
			l, err := rd.ReadString('\n')
			if err == io.EOF {
				t.Fatal("stream ended")
			}
			if strings.HasPrefix(l, "data: ") {
				return strings.TrimSpace(strings.TrimPrefix(l, "data: "))
			}
		}
	}
	if v := next(); v != "1" {
		t.Fatalf("first event %q, want version 1", v)
	}
	line, _ := json.Marshal(metricLine(2, 0.1, 1e-4))
	must(t, runio.AppendLine(filepath.Join(root, "a", "metrics.jsonl"), line))
	if v := next(); v != "2" {
		t.Fatalf("event after append %q, want version 2", v)
	}
}
