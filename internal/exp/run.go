package exp

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"

	"wdlab/internal/config"
	"wdlab/internal/report"
	"wdlab/internal/sweep"
)

// Options control how an experiment runs.
type Options struct {
	Workers int    // parallel cells (0: the scale's default)
	Index   int    // run only this cell (-1: all)
	Emit    string // "slurm" or "k8s": write a cluster job instead of running
	// Resources are what each task of an emitted job asks for.
	Resources sweep.Resources
	Exe       string // the wdlab binary that trains cells
	// TrainArgs are appended to every `wdlab train` (the executor flags);
	// custom experiments, which train in-process, refuse them.
	TrainArgs []string
	// Sets are key=value overrides of every run (e.g. data.dir), applied
	// after the scale's own; not for grid axes. Custom experiments refuse them.
	Sets []string
	Log  io.Writer
}

// CustomFunc runs a custom experiment at a scale into out; it stops when
// ctx is cancelled.
type CustomFunc func(ctx context.Context, scale string, args map[string]string, out string, log io.Writer) error

var customs = map[string]CustomFunc{}

// RegisterCustom makes a custom runner available to experiments of kind
// custom with the given name.
func RegisterCustom(name string, f CustomFunc) { customs[name] = f }

// Run runs experiment e at the given scale into out and renders its report
// into out/report (unless only one cell runs, a job is emitted, or the
// experiment is custom and draws its own figures). It names the experiment
// in out/experiment.json, so that the report, rendered now or later by
// `wdlab report`, checks the experiment's own claims.
func Run(ctx context.Context, e Experiment, scale, out string, o Options) error {
	s, err := e.Resolve(scale)
	if err != nil {
		return err
	}
	if err := checkSets(e, s, o.Sets); err != nil {
		return err
	}
	if e.Kind == "custom" && len(o.TrainArgs)+len(o.Sets) > 0 {
		return config.Inputf("experiment %s trains in-process on the native engine: it takes no executor flags or --set", e.Name)
	}
	if e.Kind == "custom" && (o.Emit != "" || o.Index >= 0) {
		return config.Inputf("experiment %s runs in-process: it has no cells to emit as a cluster job or to pick with --index", e.Name)
	}
	if e.Kind == "sequence" && o.Emit != "" && o.Emit != "slurm" {
		return config.Inputf("experiment %s is a sequence (later runs read earlier ones): it is emitted as one Slurm job (--emit slurm), not as %s", e.Name, o.Emit)
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	if err := report.WriteExperiment(out, report.ExperimentInfo{Name: e.Name, Scale: scale, Claims: e.Claims}); err != nil {
		return err
	}
	switch e.Kind {
	case "custom":
		f, ok := customs[e.Name]
		if !ok {
			return fmt.Errorf("experiment %s: no runner registered in this build", e.Name)
		}

		// Custom runners write their own summary and figures.
		return f(ctx, scale, s.Args, out, o.Log)
	case "sequence":
		if o.Emit != "" {
			path, err := emitSequence(e, scale, s, out, o)
			if err == nil && o.Log != nil {
				fmt.Fprintf(o.Log, "%s: %d runs in one job\n", path, len(s.Runs))
			}
			return err
		}
		if err := runSequence(ctx, e, s, out, o); err != nil {
			return err
		}
	default:
		sw, err := writeSweep(e, scale, s, out)
		if err != nil {
			return err
		}
		if err := sw.AddSets(o.Sets); err != nil {
			return err
		}
		done, err := runSweep(ctx, sw, out, s, o)
		if err != nil || !done {
			return err
		}
	}
	return renderReport(out, o.Log)
}

// writeSweep writes out/base.yaml and out/sweep.yaml and loads the sweep.
func writeSweep(e Experiment, scale string, s Scale, out string) (*sweep.Sweep, error) {
	if err := writeYAML(filepath.Join(out, "base.yaml"), s.Base); err != nil {
		return nil, err
	}
	spec := map[string]any{"name": e.Name + "-" + scale, "base": "base.yaml", "grid": s.Grid}
	if len(s.Set) > 0 {
		spec["set"] = s.Set
	}
	if s.Workers > 0 {
		spec["workers"] = s.Workers
	}
	p := filepath.Join(out, "experiment-sweep.yaml")
	if err := writeYAML(p, spec); err != nil {
		return nil, err
	}
	return sweep.Load(p)
}

// runSweep runs (or emits) the sweep; done is false when the report should
// not be rendered yet (one cell, or an emitted job).
func runSweep(ctx context.Context, sw *sweep.Sweep, out string, s Scale, o Options) (done bool, err error) {
	if o.Emit != "" {
		path, err := sweep.EmitJob(sw, out, o.Emit, sweep.EmitOptions{Exe: o.Exe, Workers: o.Workers, Res: o.Resources, Extra: append(append([]string(nil), o.TrainArgs...), sweep.SetArgs(o.Sets)...)})
		if err == nil && o.Log != nil {
			fmt.Fprintf(o.Log, "%s: %d cells; render the report afterwards with: wdlab report %s -o %s\n", path, sw.NumCells(), out, filepath.Join(out, "report"))
		}
		return false, err
	}
	opt := sweep.Options{Workers: o.Workers, Runner: sweep.ExecRunner(o.Exe, sweep.ThreadsPerWorker(sw, o.Workers), o.TrainArgs...), Progress: o.Log}
	if o.Index >= 0 {
		if o.Index >= sw.NumCells() {
			return false, fmt.Errorf("--index %d: the experiment has cells 0..%d", o.Index, sw.NumCells()-1)
		}
		opt.Cells, opt.TaskOnly = []int{o.Index}, true
	}
	return o.Index < 0, sweep.Run(ctx, sw, out, opt)
}

// checkSets rejects --set overrides of a grid axis and overrides that do
// not give a valid config on top of the scale (checked on its last cell),
// before anything is written.
func checkSets(e Experiment, s Scale, sets []string) error {
	if len(sets) == 0 || e.Kind == "custom" {
		return nil
	}
	for k := range s.Grid {
		for _, kv := range sets {
			if strings.HasPrefix(kv, k+"=") {
				return config.Inputf("--set %s: %s is a grid axis of experiment %s", kv, k, e.Name)
			}
		}
	}
	_, err := config.Parse([]byte(flowYAML(s.Base)), e.Name, append(lastCellSets(s), sets...))
	return err
}

// lastCellSets are the --set arguments of the scale's last grid cell: its
// fixed overrides, then every grid axis at its last value.
func lastCellSets(s Scale) []string {
	args := setArgs(s.Set)
	for k, vals := range s.Grid {
		args = append(args, k+"="+flowYAML(vals[len(vals)-1]))
	}
	return args
}

// renderReport draws the figures and index.html into out/report.
func renderReport(out string, log io.Writer) error {
	dir := filepath.Join(out, "report")
	if _, err := report.Render(out, dir, report.Options{}); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	if log != nil {
		fmt.Fprintf(log, "report: %s\n", filepath.Join(dir, "index.html"))
	}
	return nil
}

// writeYAML marshals v into path.
func writeYAML(path string, v any) error {
	b, err := yaml.Marshal(v)
	if err != nil {
		return err
	}
	return os.WriteFile(path, b, 0o644)
}

// setArgs renders overrides as sorted key=value strings (flow-style YAML values).
func setArgs(m map[string]any) []string {
	var out []string
	for k, v := range m {
		out = append(out, k+"="+flowYAML(v))
	}
	sort.Strings(out)
	return out
}

// flowYAML renders v as a one-line YAML value.
func flowYAML(v any) string {
	var n yaml.Node
	if err := n.Encode(v); err != nil {
		return fmt.Sprint(v)
	}
	n.Style = yaml.FlowStyle
	for _, c := range n.Content {
		c.Style |= yaml.FlowStyle
	}
	b, err := yaml.Marshal(&n)
	if err != nil {
		return fmt.Sprint(v)
	}
	return strings.TrimSpace(string(b))
}
