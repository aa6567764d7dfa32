package probe

import (
	"errors"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"wdlab/internal/config"
	"wdlab/internal/runio"
	"wdlab/internal/train"
)

// probeConfig is a small synthetic run with every instrument switched on.
func probeConfig(epochs int) config.Config {
	c := config.Default()
	c.Name = "probe-test"
	c.Data.Name = "synthetic"
	c.Model.Arch, c.Model.Hidden = "bn-mlp", []int{16}
	c.Optim.LR, c.Optim.WD, c.Optim.Schedule = 0.1, 5e-3, "constant"
	c.Train.Epochs, c.Train.BatchSize, c.Train.EvalBatchSize = epochs, 100, 500
	c.Train.EMA, c.Train.CheckpointEvery = 0.9, 1
	c.Probe = config.Probe{JacEvery: 1, JacPerClass: 5, HessEvery: 2, HessPerClass: 5, HessProbes: 3,
		NoiseEvery: 1, NoiseAvgEpochs: 4, FTEvery: 2, FTEpochs: 1, FTLR: 0.01, EnsSnapshots: 2, EnsFrom: 2}
	return c
}

func readMetrics(t *testing.T, dir string) []runio.Point {
	t.Helper()
	pts, err := runio.ReadMetrics(filepath.Join(dir, runio.MetricsFile))
	if err != nil {
		t.Fatal(err)
	}
	return pts
}

// probes lists this package's hook as wdlab train does.
var probes = []train.HookFactory{NewHook}

// Every instrument logs finite positive values at its interval, and a run
// resumed from a checkpoint reproduces them exactly (snapshot ensemble
// included, rebuilt from its files).
func TestHookLogsAndResumes(t *testing.T) {
	full, part := t.TempDir(), t.TempDir()
	if _, err := train.Run(probeConfig(4), full, train.Options{Hooks: probes}); err != nil {
		t.Fatal(err)
	}
	pts := readMetrics(t, full)
	if len(pts) != 4 {
		t.Fatalf("%d metric lines, want 4", len(pts))
	}
	every := []string{"jac_norm", "ema_jac_norm", "noise_scale", "noise_scale_sqrt", "one_minus_py", "noise_scale_avg", "one_minus_py_avg", "noise_avg_points"}
	even := []string{"hess_trace", "ft_hess_trace", "ft_jac_norm", "ft_train_ce", "ft_train_err", "ft_test_ce", "ft_test_err", "ft_param_norm", "ens_test_err", "ens_ema_tvd"}
	for i, p := range pts {
		keys := every
		if (i+1)%2 == 0 {
			keys = append(keys, even...)
		} else if _, ok := p["hess_trace"]; ok {
			t.Errorf("epoch %d: hess_trace logged off its interval", i+1)
		}
		for _, k := range keys {
			v, ok := p[k]
			isErr := strings.HasSuffix(k, "_err")
			if !ok || (isErr && !(v >= 0 && v <= 1)) || (!isErr && !(v > 0 && !math.IsInf(v, 0))) {
				t.Errorf("epoch %d: %s = %v (present %v), want finite > 0 (an error rate in [0, 1])", i+1, k, v, ok)
			}
		}
	}
	if n := pts[3]["ens_size"]; n != 2 {
		t.Errorf("ensemble size at epoch 4 = %v, want 2", n)
	}
	// Stop after 2 epochs, then continue to 4 with the full run's config.
	if _, err := train.Run(probeConfig(2), part, train.Options{Hooks: probes}); err != nil {
		t.Fatal(err)
	}
	if err := runio.WriteFileAtomic(filepath.Join(part, runio.ConfigFile), probeConfig(4).Marshal(), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := train.Run(probeConfig(4), part, train.Options{Resume: true, Hooks: probes}); err != nil {
		t.Fatal(err)
	}
	res := readMetrics(t, part)
	for i := 2; i < 4; i++ {
		for k, v := range pts[i] {
			if k == "wall_s" || k == "samples_per_s" || k == "probe_s" {
				continue
			}
			if res[i][k] != v {
				t.Errorf("epoch %d: %s = %v after resume, %v in one go", i+1, k, res[i][k], v)
			}
		}
	}
}

// Bad probe settings stop the run with a config error.
func TestHookRejectsBadSettings(t *testing.T) {
	c := probeConfig(1)
	c.Probe.HessProbes = 0
	_, err := train.Run(c, t.TempDir(), train.Options{Hooks: probes})
	var ce *config.InputError
	if !errors.As(err, &ce) {
		t.Fatalf("hess_probes 0: error %v, want a config error", err)
	}
	c = probeConfig(1)
	c.Probe.NoiseAvgEpochs = 0
	if _, err := train.Run(c, t.TempDir(), train.Options{Hooks: probes}); !errors.As(err, &ce) {
		t.Fatalf("noise_avg_epochs 0: error %v, want a config error", err)
	}
	c = probeConfig(1)
	c.Probe.JacPerClass = 100000
	if _, err := train.Run(c, t.TempDir(), train.Options{Hooks: probes}); !errors.As(err, &ce) {
		t.Fatalf("jac_per_class too large: error %v, want a config error", err)
	}
}

// With every probe off the factory adds no hook.
func TestHookOff(t *testing.T) {
	if h := NewHook(&train.Runner{Cfg: config.Default()}); h != nil {
		t.Errorf("default config: hook %v, want nil", h)
	}
}
