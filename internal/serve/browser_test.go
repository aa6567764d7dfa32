package serve

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"wdlab/internal/runio"
)

// browser is a headless Chromium tab with every console message recorded.
type browser struct {
	ctx  context.Context
	mu   sync.Mutex
	msgs []chromedp.ConsoleMessage
}

// newBrowser starts Debian's Chromium (installed by .ci/setup.d/40-chromium.sh).
// Without it the test skips, except in CI (CI set), where it fails.
func newBrowser(t *testing.T) *browser {
	t.Helper()
	path := ""
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			path = p
			break
		}
	}
	if path == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("chromium not found: .ci/setup.d/40-chromium.sh should have installed it")
		}
		t.Skip("chromium not installed (run .ci/setup.d/40-chromium.sh): browser test skipped")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path), chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1280, 900),
		chromedp.Flag("no-sandbox", true), chromedp.Flag("disable-gpu", true), chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true))
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(func() { cancel(); cancelA() })
	b := &browser{ctx: ctx}
	if err := chromedp.Do(ctx); err != nil { // start the browser
		t.Fatalf("start chromium: %v", err)
	}
	msgs := chromedp.Console(ctx)
	go func() {
		for m, err := range msgs {
			if err != nil {
				return
			}
			b.mu.Lock()
			b.msgs = append(b.msgs, m)
			b.mu.Unlock()
		}
	}()
	return b
}

// do runs actions, failing the test on error.
func (b *browser) do(t *testing.T, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(b.ctx, steps...); err != nil {
		t.Fatal(err)
	}
}

// eval evaluates a JavaScript expression and decodes its JSON value into v.
func (b *browser) eval(t *testing.T, expr string, v any) {
	t.Helper()
	s, err := chromedp.Run(b.ctx, chromedp.Evaluate[string]("JSON.stringify("+expr+")"))
	if err != nil {
		t.Fatalf("%s: %v", expr, err)
	}
	must(t, json.Unmarshal([]byte(s), v))
}

// wait polls a JavaScript predicate for up to 15 s.
func (b *browser) wait(t *testing.T, pred string) {
	t.Helper()
	if _, err := chromedp.Run(b.ctx, chromedp.Poll[bool](pred, chromedp.WithPollingInterval(50*time.Millisecond), chromedp.WithPollingTimeout(15*time.Second))); err != nil {
		t.Fatalf("waiting for %s: %v", pred, err)
	}
}

// noErrors fails on console errors, exceptions and error log entries.
func (b *browser) noErrors(t *testing.T) {
	t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, m := range b.msgs {
		if m.Type == chromedp.ConsoleError || m.IsException() {
			t.Errorf("console: %s (%s:%d)", m, m.URL, m.Line)
		}
	}
}

// screenshot saves a PNG of the page into a temp folder, or, for a page
// the documentation shows (doc), into docs/img when WDLAB_DOCS_SHOTS is
// set.
func (b *browser) screenshot(t *testing.T, name string, doc bool) {
	t.Helper()
	png, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100))
	if err != nil || len(png) < 1000 {
		t.Fatalf("screenshot %s: %d bytes, %v", name, len(png), err)
	}
	dir := t.TempDir()
	if doc && os.Getenv("WDLAB_DOCS_SHOTS") != "" {
		dir = filepath.Join("..", "..", "docs", "img")
		must(t, os.MkdirAll(dir, 0o755))
	}
	must(t, os.WriteFile(filepath.Join(dir, name), png, 0o644))
}

// startServer serves s until the test ends, cutting the event streams that
// a browser still holds open.
func startServer(t *testing.T, s *Server) *httptest.Server {
	ts := httptest.NewServer(s)
	t.Cleanup(func() { ts.CloseClientConnections(); ts.Close() })
	return ts
}

// series reads the name and point count of every series of a chart.
type seriesInfo struct {
	Name string
	N    int
	Dash string
	Data [][]float64
}

func (b *browser) series(t *testing.T, chart string) []seriesInfo {
	t.Helper()
	var out []seriesInfo
	b.eval(t, `wdlab.charts.`+chart+`.getOption().series.map(s => ({Name: s.name, N: s.data.length,
		Dash: (s.lineStyle || {}).type || "", Data: s.data.map(d => Array.isArray(d) ? d : (d.value || d))}))`, &out)
	return out
}

func TestServeBrowserFinishedSweep(t *testing.T) {
	b := newBrowser(t)
	root := t.TempDir()
	ids := writeSweep(t, root)
	s, err := New(root)
	must(t, err)
	ts := startServer(t, s)

	b.do(t, chromedp.Navigate(ts.URL+"/#runs"))
	b.wait(t, `window.wdlab && wdlab.updates > 0`)
	var rows []string
	b.eval(t, `[...document.querySelectorAll("#runs tbody tr")].map(r => r.dataset.id)`, &rows)
	if strings.Join(rows, ",") != strings.Join(ids, ",") {
		t.Fatalf("table rows %v, want %v", rows, ids)
	}
	// Filter, then sort by the final value, highest first (two clicks).
	b.do(t, chromedp.SendKeys(chromedp.ID("filter"), "wd0.0005"),
		chromedp.Click(chromedp.CSS(`th[data-col="final"]`)), chromedp.Click(chromedp.CSS(`th[data-col="final"]`)))
	b.eval(t, `[...document.querySelectorAll("#runs tbody tr")].map(r => r.dataset.id)`, &rows)
	if len(rows) != 4 || !strings.HasPrefix(rows[0], "sweep/lr0.1-wd0.0005") || !strings.HasPrefix(rows[3], "sweep/lr0.4-wd0.0005") {
		t.Errorf("filtered rows sorted by final test_err, descending: %v", rows)
	}
	b.screenshot(t, "serve-runs.png", false)

	b.do(t, chromedp.Click(chromedp.CSS(`nav a[data-tab="curves"]`)))
	b.wait(t, `wdlab.charts.curves !== undefined`)
	ser := b.series(t, "curves")
	if len(ser) != 2*len(ids) {
		t.Fatalf("%d curve series, want %d (iterate and EMA per run)", len(ser), 2*len(ids))
	}
	want := metricLine(2, 0.1, 1e-4)
	if ser[0].Name != ids[0] || ser[0].Dash != "solid" || ser[0].N != 3 || ser[0].Data[1][1] != want["test_err"] {
		t.Errorf("first series %+v, want test_err %v at epoch 2", ser[0], want["test_err"])
	}
	if ser[1].Name != ids[0]+" (EMA)" || ser[1].Dash != "dashed" || ser[1].Data[1][1] != want["ema_test_err"] {
		t.Errorf("EMA series %+v", ser[1])
	}
	b.do(t, chromedp.Click(chromedp.ID("logY")))
	var yType string
	b.eval(t, `wdlab.charts.curves.getOption().yAxis[0].type`, &yType)
	if yType != "log" {
		t.Errorf("y axis %q after ticking log y", yType)
	}
	b.screenshot(t, "serve-curves.png", false)

	// The runs filter (wd = 5e-4) narrows the sweep page too; cleared, all
	// four cells show.
	b.do(t, chromedp.Click(chromedp.CSS(`nav a[data-tab="sweep"]`)))
	b.wait(t, `wdlab.charts.heatmap !== undefined && wdlab.charts.scatter !== undefined`)
	if heat := b.series(t, "heatmap"); len(heat) != 1 || heat[0].N != 2 {
		t.Fatalf("filtered heatmap %+v, want the 2 cells with wd = 5e-4", heat)
	}
	b.do(t, chromedp.Click(chromedp.CSS(`nav a[data-tab="runs"]`)), chromedp.Evaluate[chromedp.Void](`document.getElementById("filter").value = ""`),
		chromedp.Click(chromedp.CSS(`nav a[data-tab="sweep"]`)))
	b.wait(t, `wdlab.charts.heatmap.getOption().series[0].data.length === 4`) // hashchange is asynchronous
	heat := b.series(t, "heatmap")
	if len(heat) != 1 || heat[0].N != 4 {
		t.Fatalf("heatmap series %+v, want 4 cells", heat)
	}
	for _, c := range heat[0].Data { // [wd index, lr index, mean, runs]
		lr, wd := []float64{0.1, 0.4}[int(c[1])], []float64{1e-4, 5e-4}[int(c[0])]
		if w := metricLine(3, lr, wd)["test_err"]; c[2] != w || c[3] != 2 {
			t.Errorf("cell lr %g wd %g: %v, want mean %v over 2 runs", lr, wd, c, w)
		}
	}
	if sc := b.series(t, "scatter"); len(sc) != 1 || sc[0].N != len(ids) {
		t.Errorf("scatter %+v, want %d points", sc, len(ids))
	}
	b.screenshot(t, "serve-sweep.png", false)

	b.do(t, chromedp.Click(chromedp.CSS(`nav a[data-tab="claims"]`)))
	var verdicts []string
	b.eval(t, `[...document.querySelectorAll("#claims tbody tr td:nth-child(4)")].map(td => td.textContent)`, &verdicts)
	if len(verdicts) != 3 {
		t.Errorf("claims verdicts %v, want 3", verdicts)
	}
	b.noErrors(t)
}

// A run still writing metrics: a new line shows in the curves without a
// reload; then a second run appears, the first completes, a third fails.
func TestServeBrowserLiveRun(t *testing.T) {
	b := newBrowser(t)
	root := t.TempDir()
	dir := filepath.Join(root, "live")
	writeRun(t, dir, 0.1, 1e-4, 0, 2, 4, "running")
	s, err := New(root)
	must(t, err)
	s.Interval = 100 * time.Millisecond
	ts := startServer(t, s)

	b.do(t, chromedp.Navigate(ts.URL+"/#curves"))
	b.wait(t, `window.wdlab && wdlab.updates > 0 && wdlab.charts.curves !== undefined`)
	if ser := b.series(t, "curves"); len(ser) != 2 || ser[0].N != 2 {
		t.Fatalf("curves before the append: %+v", ser)
	}
	b.do(t, chromedp.Evaluate[chromedp.Void](`window.notReloaded = true`))
	line, _ := json.Marshal(metricLine(3, 0.1, 1e-4))
	must(t, runio.AppendLine(filepath.Join(dir, "metrics.jsonl"), line))
	b.wait(t, `wdlab.charts.curves.getOption().series[0].data.length === 3`)
	var kept bool
	b.eval(t, `window.notReloaded === true`, &kept)
	if !kept {
		t.Fatal("the page reloaded")
	}
	if ser := b.series(t, "curves"); ser[0].Data[2][1] != metricLine(3, 0.1, 1e-4)["test_err"] {
		t.Errorf("appended point %v", ser[0].Data[2])
	}
	b.screenshot(t, "serve-live.png", true)

	writeRun(t, filepath.Join(root, "second"), 0.2, 1e-4, 0, 4, 4, "completed")
	writeRun(t, dir, 0.1, 1e-4, 0, 4, 4, "completed")
	writeRun(t, filepath.Join(root, "third"), 0.4, 1e-4, 0, 1, 4, "failed")
	b.do(t, chromedp.Click(chromedp.CSS(`nav a[data-tab="runs"]`)))
	b.wait(t, `[...document.querySelectorAll("#runs tbody tr td:nth-child(4)")].map(td => td.textContent).join() === "completed,completed,failed"`)
	b.eval(t, `window.notReloaded === true`, &kept)
	if !kept {
		t.Fatal("the page reloaded")
	}
	b.noErrors(t)
}
