package report

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"wdlab/internal/config"
)

// checkHTML parses page leniently as HTML and checks that every non-void
// element is closed in order and that no resource is loaded from outside.
func checkHTML(t *testing.T, page []byte) {
	t.Helper()
	void := map[string]bool{"meta": true, "link": true, "img": true, "br": true, "hr": true, "input": true}
	d := xml.NewDecoder(bytes.NewReader(page))
	d.Strict, d.AutoClose, d.Entity = false, nil, xml.HTMLEntity
	var stack []string
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("index.html does not parse: %v", err)
		}
		switch e := tok.(type) {
		case xml.StartElement:
			for _, a := range e.Attr {
				if (a.Name.Local == "src" || a.Name.Local == "href") && strings.Contains(a.Value, "://") {
					t.Errorf("external resource %s=%q", a.Name.Local, a.Value)
				}
			}
			if !void[e.Name.Local] {
				stack = append(stack, e.Name.Local)
			}
		case xml.EndElement:
			if void[e.Name.Local] {
				continue
			}
			if len(stack) == 0 || stack[len(stack)-1] != e.Name.Local {
				t.Fatalf("</%s> closes %v", e.Name.Local, stack)
			}
			stack = stack[:len(stack)-1]
		}
	}
	if len(stack) != 0 {
		t.Errorf("unclosed elements %v", stack)
	}
}

func TestRenderWritesFiguresAndPage(t *testing.T) {
	root := writeFourRuns(t)
	out := filepath.Join(t.TempDir(), "report")
	figs, err := Render(root, out, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"curve_test_err", "curve_train_ce", "curve_param_norm",
		"heatmap_ema_test_err", "heatmap_ema_jac_norm"}
	got := map[string]bool{}
	for _, f := range figs {
		got[f.Name] = true
	}
	for _, name := range want {
		if !got[name] {
			t.Errorf("figure %s missing (have %v)", name, got)
			continue
		}
		png, err := os.ReadFile(filepath.Join(out, name+".png"))
		if err != nil || !bytes.HasPrefix(png, []byte("\x89PNG\r\n\x1a\n")) {
			t.Errorf("%s.png is not a PNG: %v", name, err)
		}
		svg, err := os.ReadFile(filepath.Join(out, name+".svg"))
		if err != nil || !bytes.Contains(svg, []byte("<svg")) {
			t.Errorf("%s.svg is not an SVG: %v", name, err)
		}
	}
	// lr*wd is 0 for two runs: only two positive values (1e-4, 1e-3) remain.
	if !got["scatter_ema_test_err"] || got["lm_loss"] {
		t.Errorf("scatter/LM figures: %v", got)
	}
	page, err := os.ReadFile(filepath.Join(out, IndexFile))
	if err != nil {
		t.Fatal(err)
	}
	checkHTML(t, page)
	s := string(page)
	for _, want := range []string{
		`<img src="curve_test_err.png"`,
		`<td title="sweep/cells/0003">large-lr-wd</td><td class="n">0.1</td><td class="n">0.01</td><td>completed</td><td class="n">0.2</td><td class="n">0.1</td><td class="n">10</td>`,
		`S1: without WD the weight norm keeps growing at a large LR; with WD it stays bounded [2 seeds]: <span class="holds">holds</span>`,
		`S5: in the large-LR phase the EMA (and a copy fine-tuned at a tiny LR) has a lower test error than the SGD iterate [1 seed]: <span class="holds">holds</span>`,
		`S6: the test error has an optimum at an interior lr*wd [1 seed]: <span class="does-not-hold">does not hold</span>. ema_test_err by lr*wd: lr*wd 0: 0.24 ± 0.05657 (n=2); lr*wd 0.0001: 0.27 (n=1); lr*wd 0.001: 0.1 (n=1); lowest at lr*wd 0.001.`,
	} {
		if !strings.Contains(s, want) {
			t.Errorf("index.html lacks %q", want)
		}
	}
}

func TestRenderPluggableClaimsAndLM(t *testing.T) {
	root := t.TempDir()
	lm := fakeRun{name: "gpt", lr: 1e-3, wd: 0.1, epochs: 5, extra: map[string]float64{"tokens": 1e6, "train_loss": 3, "val_loss": 3.1}}
	writeFakeRun(t, filepath.Join(root, "gpt"), lm)
	out := filepath.Join(root, "out")
	mine := func(runs []Run) []Claim {
		return []Claim{{Claim: "one run <here>", Verdict: Holds, Evidence: runs[0].Name}}
	}
	figs, err := Render(root, out, Options{Claims: mine})
	if err != nil {
		t.Fatal(err)
	}
	if figs[len(figs)-1].Name != "lm_loss" {
		t.Errorf("last figure %q, want lm_loss", figs[len(figs)-1].Name)
	}
	page, _ := os.ReadFile(filepath.Join(out, IndexFile))
	checkHTML(t, page)
	if !strings.Contains(string(page), `one run &lt;here&gt;: <span class="holds">holds</span>. gpt.`) {
		t.Errorf("custom claim missing or unescaped:\n%s", page)
	}
	if strings.Contains(string(page), "S1:") {
		t.Error("default claims ran despite Options.Claims")
	}
}

func TestRenderNoRuns(t *testing.T) {
	var ce *config.InputError
	if _, err := Render(t.TempDir(), t.TempDir(), Options{}); !errors.As(err, &ce) {
		t.Errorf("want a *config.InputError, got %v", err)
	}
}

// With experiment.json naming the experiment, the report checks its own
// claims (here S3 on fourRuns' 2x2 grid) and writes them to claims.json.
func TestRenderExperimentClaimsJSON(t *testing.T) {
	root := writeFourRuns(t)
	if err := WriteExperiment(root, ExperimentInfo{Name: "fig2", Scale: "tiny", Claims: []string{"S3"}}); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "report")
	if _, err := Render(root, out, Options{}); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(filepath.Join(out, ClaimsFile))
	if err != nil {
		t.Fatal(err)
	}
	var got []map[string]any
	if err := json.Unmarshal(raw, &got); err != nil {
		t.Fatal(err)
	}
	// large lr + wd: 0.20 vs 0.30, 0.29, 0.30, one seed each: 9 pp > the 2 pp floor.
	if len(got) != 1 || got[0]["experiment"] != "fig2" || got[0]["id"] != "S3" || got[0]["verdict"] != "holds" || got[0]["seeds"] != 1.0 ||
		!strings.Contains(got[0]["evidence"].(string), "WD gain at the large lr 10 pp (margin 2 pp)") || !strings.HasPrefix(got[0]["claim"].(string), "S3: WD helps only") {
		t.Errorf("claims.json = %s", raw)
	}
	page, _ := os.ReadFile(filepath.Join(out, IndexFile))
	checkHTML(t, page)
	for _, want := range []string{"experiment fig2 (tiny)", SpreadRule, "[1 seed]: <span class=\"holds\">holds</span>"} {
		if !strings.Contains(string(page), want) {
			t.Errorf("index.html lacks %q", want)
		}
	}
	if strings.Contains(string(page), "S1:") {
		t.Error("the generic claims ran for a known experiment")
	}
}
