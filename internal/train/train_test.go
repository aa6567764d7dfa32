package train

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"wdlab/internal/config"
	"wdlab/internal/runio"
	"wdlab/internal/tokens"
)

// visionCfg is a seconds-long BN-MLP run on synthetic data.
func visionCfg(t *testing.T, sets ...string) config.Config {
	t.Helper()
	base := "data: {name: synthetic}\nmodel: {arch: bn-mlp, hidden: [16]}\noptim: {lr: 0.2, wd: 0.01, schedule: step, drop_at: 0.5, lr_after: 0.01}\ntrain: {epochs: 4, batch_size: 50, ema: 0.9, checkpoint_every: 1}\n"
	c, err := config.Parse([]byte(base), "test", sets)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// metricLines reads metrics.jsonl without the timing keys.
func metricLines(t *testing.T, dir string) []map[string]float64 {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, "metrics.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []map[string]float64
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var m map[string]float64
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatal(err)
		}
		delete(m, "wall_s")
		delete(m, "samples_per_s")
		out = append(out, m)
	}
	return out
}

// checkMetricTable fails unless every key of the lines has a row for the
// regime in runio.Metrics and the summary's best holds exactly the
// lower-is-better keys, at their minimum.
func checkMetricTable(t *testing.T, regime string, lines []map[string]float64, s *Summary) {
	t.Helper()
	rows := map[string]bool{}
	for _, m := range runio.Metrics {
		if m.Regime == regime {
			rows[m.Key] = true
		}
	}
	minima := map[string]float64{}
	for _, l := range lines {
		for k, v := range l {
			if !rows[k] {
				t.Errorf("%s key %s has no row in runio.Metrics", regime, k)
			}
			if b, ok := minima[k]; runio.LowerIsBetter(k) && (!ok || v < b) {
				minima[k] = v
			}
		}
	}
	if !reflect.DeepEqual(s.Best, minima) {
		t.Errorf("%s summary best %v, want the minima of the lower-is-better keys %v", regime, s.Best, minima)
	}
}

func TestVisionRunKeysDeterminismAndResume(t *testing.T) {
	cfg := visionCfg(t)
	a, b := t.TempDir(), t.TempDir()
	sa, err := Run(cfg, a, Options{})
	if err != nil || sa.Status != "completed" {
		t.Fatalf("run: %v %+v", err, sa)
	}
	la := metricLines(t, a)
	if len(la) != 4 {
		t.Fatalf("%d metric lines, want 4", len(la))
	}
	for _, k := range []string{"train_ce", "train_err", "test_ce", "test_err", "ema_train_ce", "ema_train_err", "ema_test_ce",
		"ema_test_err", "train_loss", "param_norm", "ema_param_norm", "lr", "wd", "eff_lr", "angular_update", "epoch", "step"} {
		if _, ok := la[3][k]; !ok {
			t.Errorf("metrics lack %s", k)
		}
	}
	checkMetricTable(t, runio.Vision, la, sa)
	if la[3]["test_err"] > 0.5 {
		t.Errorf("synthetic test error %.3f: the model did not learn", la[3]["test_err"])
	}
	if la[1]["lr"] != 0.2 || la[2]["lr"] != 0.01 {
		t.Errorf("LR drop at epoch 2: lrs %v %v", la[1]["lr"], la[2]["lr"])
	}
	// Same config and seed: identical metrics.
	if _, err := Run(cfg, b, Options{}); err != nil {
		t.Fatal(err)
	}
	if lb := metricLines(t, b); !reflect.DeepEqual(la, lb) {
		t.Fatalf("two identical runs differ:\n%v\n%v", la[3], lb[3])
	}
	// Refusing to overwrite a run without --resume.
	if _, err := Run(cfg, b, Options{}); err == nil {
		t.Fatal("second run into the same dir without resume must fail")
	}
	// Interrupted after 2 epochs (simulated with a 2-epoch run that shares
	// the schedule), then resumed: identical metrics.
	c := t.TempDir()
	short := cfg
	short.Train.Epochs = 2
	r, err := newRunner(short, c)
	if err != nil {
		t.Fatal(err)
	}
	r.Sched = NewSchedule(cfg.Optim, r.StepsPerEp*4, 2*r.StepsPerEp)
	os.WriteFile(filepath.Join(c, "config.yaml"), cfg.Marshal(), 0o644)
	if _, err := r.loop(Options{}); err != nil {
		t.Fatal(err)
	}
	if _, err := Run(cfg, c, Options{Resume: true}); err != nil {
		t.Fatal(err)
	}
	if lc := metricLines(t, c); !reflect.DeepEqual(la, lc) {
		t.Fatalf("resumed run differs:\n%v\n%v", la[3], lc[3])
	}
}

func TestVisionDivergence(t *testing.T) {
	cfg := visionCfg(t, "optim.lr=1e30", "optim.schedule=constant")
	dir := t.TempDir()
	s, err := Run(cfg, dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if s.Status != "diverged" {
		t.Fatalf("status %q, want diverged", s.Status)
	}
	raw, _ := os.ReadFile(filepath.Join(dir, "summary.json"))
	var sum Summary
	if json.Unmarshal(raw, &sum) != nil || sum.Status != "diverged" || len(metricLines(t, dir)) == 0 {
		t.Fatalf("summary.json %s", raw)
	}
}

// lmCfg is a seconds-long GPT run on a repeated sentence.
func lmCfg(t *testing.T) config.Config {
	t.Helper()
	dataDir := t.TempDir()
	text := ""
	for i := 0; i < 400; i++ {
		text += "in the beginning was the word. "
	}
	if _, err := tokens.Prepare(text, tokens.Byte{}, 0.1, dataDir, tokens.FormatNanoGPT); err != nil {
		t.Fatal(err)
	}
	base := "data: {name: tokens, dir: " + dataDir + "}\nmodel: {arch: gpt, layers: 1, dim: 16, heads: 2, ctx: 16}\n" +
		"optim: {name: adamw, lr: 0.01, wd: 0.1, grad_clip: 1, schedule: cosine, warmup: 2, min_lr: 0.001}\n" +
		"train: {steps: 12, batch_size: 4, eval_every: 4, eval_examples: 8, ema: 0.9, checkpoint_every: 4}\n"
	cfg, err := config.Parse([]byte(base), "lm", nil)
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func TestLMRunAndResume(t *testing.T) {
	cfg := lmCfg(t)
	a := t.TempDir()
	s, err := RunLM(cfg, a, Options{})
	if err != nil || s.Status != "completed" {
		t.Fatalf("%v %+v", err, s)
	}
	la := metricLines(t, a)
	if len(la) != 4 || la[3]["val_loss"] >= la[0]["val_loss"] {
		t.Fatalf("lines %d, val loss %v -> %v", len(la), la[0]["val_loss"], la[len(la)-1]["val_loss"])
	}
	for _, k := range []string{"train_loss", "val_loss", "val_err", "ema_val_loss", "lr", "param_norm", "decayed_norm", "decayed_eff_lr", "adam_elr", "grad_norm", "clip_frac", "tokens"} {
		if _, ok := la[3][k]; !ok {
			t.Errorf("LM metrics lack %s", k)
		}
	}
	checkMetricTable(t, runio.LM, la, s)
	if s.Epochs != 0 {
		t.Errorf("LM summary: %d epochs", s.Epochs)
	}
	// Resume from the step-8 checkpoint after dropping later state: identical.
	b := t.TempDir()
	short := cfg
	short.Train.Steps = 8
	r, err := newLMRunner(short, b)
	if err != nil {
		t.Fatal(err)
	}
	r.Sched = NewSchedule(cfg.Optim, 12, 0)
	os.WriteFile(filepath.Join(b, "config.yaml"), cfg.Marshal(), 0o644)
	if _, err := r.loop(Options{}); err != nil {
		t.Fatal(err)
	}
	if _, err := RunLM(cfg, b, Options{Resume: true}); err != nil {
		t.Fatal(err)
	}
	if lb := metricLines(t, b); !reflect.DeepEqual(la, lb) {
		t.Fatalf("resumed LM run differs:\n%v\n%v", la[3], lb[3])
	}
}

func TestSplitBlocks(t *testing.T) {
	ids := make([]int, 10*valBlock+5)
	for i := range ids {
		ids[i] = i % 7
	}
	tr, va := splitBlocks(ids)
	if len(va) != valBlock || len(tr) != len(ids)-valBlock {
		t.Fatalf("split %d/%d", len(tr), len(va))
	}
	if va[0] != uint16((9*valBlock)%7) {
		t.Fatalf("val starts with %d", va[0])
	}
}
