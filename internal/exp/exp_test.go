package exp

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"wdlab/internal/config"
	"wdlab/internal/report"
	"wdlab/internal/sweep"
	"wdlab/internal/train"
)

// Every catalog entry resolves at every scale into configs that validate.
func TestCatalogConfigsValidate(t *testing.T) {
	all, err := Catalog()
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"ens", "equilibrium", "fig1", "fig2", "fig3", "fig4", "fig5", "llm-bf16", "llm-const", "llm-elr", "llm-ft", "llm-gap", "llm-wd", "sphere"}
	var names []string
	for _, e := range all {
		names = append(names, e.Name)
	}
	if strings.Join(names, ",") != strings.Join(want, ",") {
		t.Fatalf("catalog = %v, want %v", names, want)
	}
	for _, e := range all {
		for _, sc := range Scales {
			if e.Kind == "custom" {
				continue
			}
			if _, err := lastCellConfig(t, e, sc); err != nil {
				t.Errorf("%s/%s: %v", e.Name, sc, err)
			}
		}
	}
}

// lastCellConfig resolves experiment e at scale sc into the config of its
// last cell (every grid axis at its last value, every run's overrides).
func lastCellConfig(t *testing.T, e Experiment, sc string) (config.Config, error) {
	t.Helper()
	s, err := e.Resolve(sc)
	if err != nil {
		t.Fatal(err)
	}
	base := []byte(flowYAML(s.Base))
	sets := lastCellSets(s)
	for _, r := range s.Runs {
		for _, a := range setArgs(r.Set) {
			sets = append(sets, strings.ReplaceAll(a, "{run:wd}", "/tmp/x"))
		}
	}
	return config.Parse(base, e.Name+"/"+sc, sets)
}

// Every one-pass LM scale on the KJV Bible fits its token budget in one
// pass (a run that does not is refused when it starts: the small scales
// once asked for 12M tokens of a 1M-token corpus).
func TestCatalogLMBudgetsFitKJV(t *testing.T) {
	all, err := Catalog()
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range all {
		for _, sc := range Scales {
			if e.Kind == "custom" {
				continue
			}
			c, err := lastCellConfig(t, e, sc)
			if err != nil || c.Model.Arch != "gpt" || c.Data.Name != "kjv" || !c.Data.OnePass {
				continue
			}
			tr, _, _, err := train.LoadTokens(c)
			if err != nil {
				t.Fatalf("%s/%s: %v", e.Name, sc, err)
			}
			if _, err := train.NewSampler(c, len(tr)); err != nil {
				t.Errorf("%s/%s: %v", e.Name, sc, err)
			}
		}
	}
}

func TestFlowYAML(t *testing.T) {
	if got := flowYAML([]any{1, 2}); got != "[1, 2]" {
		t.Fatalf("flowYAML list = %q", got)
	}
	if got := flowYAML(0.001); got != "0.001" {
		t.Fatalf("flowYAML float = %q", got)
	}
}

// Every sweep experiment at every scale writes a sweep file that loads and
// emits as a Slurm array job, and every sequence a Slurm job training its
// runs in order (the path `exp run` takes before any training); custom
// experiments refuse --emit without running anything, and sequences refuse
// k8s.
func TestCatalogEmitsEverySweep(t *testing.T) {
	all, err := Catalog()
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range all {
		for _, sc := range Scales {
			out := t.TempDir()
			err := Run(context.Background(), e, sc, out, Options{Emit: "slurm", Index: -1, Exe: "/bin/false"})
			var ce *config.InputError
			switch e.Kind {
			case "custom":
				if !errors.As(err, &ce) {
					t.Errorf("%s/%s (%s) with --emit: err %v, want a config error", e.Name, sc, e.Kind, err)
				}
				continue
			case "sequence":
				if err != nil {
					t.Errorf("%s/%s: %v", e.Name, sc, err)
					continue
				}
				b, err := os.ReadFile(filepath.Join(out, SequenceSlurmFile))
				if err != nil || strings.Count(string(b), "\"$WDLAB\" 'train'") != len(e.Scales[sc].Runs) && e.Scales[sc].Runs != nil {
					t.Errorf("%s/%s: sequence job %v:\n%s", e.Name, sc, err, b)
				}
				if err := Run(context.Background(), e, sc, t.TempDir(), Options{Emit: "k8s", Index: -1, Exe: "/bin/false"}); !errors.As(err, &ce) {
					t.Errorf("%s/%s: --emit k8s of a sequence: %v, want a config error", e.Name, sc, err)
				}
				continue
			}
			if err != nil {
				t.Errorf("%s/%s: %v", e.Name, sc, err)
				continue
			}
			if _, err := os.Stat(filepath.Join(out, sweep.SlurmFile)); err != nil {
				t.Errorf("%s/%s: no Slurm script: %v", e.Name, sc, err)
			}
		}
	}
}

// Every experiment names the paper's claims its report checks, each with a
// check in the report's registry, and `exp run` records them in
// experiment.json for the report.
func TestCatalogClaimsAreChecked(t *testing.T) {
	all, err := Catalog()
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range all {
		if len(e.Claims) == 0 {
			t.Errorf("%s lists no claims", e.Name)
		}
		for _, id := range e.Claims {
			if _, ok := report.ClaimChecks[id]; !ok {
				t.Errorf("%s: claim %s has no check in report.ClaimChecks", e.Name, id)
			}
		}
		if e.Kind != "sweep" {
			continue
		}
		out := t.TempDir()
		if err := Run(context.Background(), e, "tiny", out, Options{Emit: "slurm", Index: -1, Exe: "/bin/false"}); err != nil {
			t.Fatal(err)
		}
		info, err := report.ReadExperiment(out)
		if err != nil || info == nil || info.Name != e.Name || info.Scale != "tiny" || strings.Join(info.Claims, ",") != strings.Join(e.Claims, ",") {
			t.Errorf("%s: experiment.json = %+v, %v", e.Name, info, err)
		}
	}
}

// Every LM experiment's paper scale trains in bf16 as the paper did: all
// runs of the WD sweeps; llm-elr and llm-bf16 in both precisions.
func TestCatalogLMPaperPrecision(t *testing.T) {
	want := map[string]string{"llm-wd": "bf16", "llm-gap": "bf16", "llm-const": "bf16", "llm-ft": "bf16", "llm-elr": "bf16,fp32", "llm-bf16": "bf16,fp32"}
	for name, prec := range want {
		e, err := Find(name)
		if err != nil {
			t.Fatal(err)
		}
		s, err := e.Resolve("paper")
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]bool{}
		runs := s.Runs
		if runs == nil {
			runs = []SequenceRun{{}}
		}
		for _, r := range runs {
			c, err := config.Parse([]byte(flowYAML(s.Base)), name, append(lastCellSets(s), setArgs(r.Set)...))
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			seen[c.Precision] = true
		}
		var got []string
		for _, p := range []string{"bf16", "fp32"} {
			if seen[p] {
				got = append(got, p)
			}
		}
		if strings.Join(got, ",") != prec {
			t.Errorf("%s at paper scale trains in %v, want %s", name, got, prec)
		}
	}
}
