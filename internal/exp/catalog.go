package exp

import (
	"embed"
	"fmt"
	"path"
	"sort"

	"gopkg.in/yaml.v3"
)

//go:embed catalog/*.yaml
var catalogFS embed.FS

// Experiment is one catalog entry.
type Experiment struct {
	Name   string           `yaml:"name"`
	Figure string           `yaml:"figure"` // the paper's figure/table it reproduces
	Title  string           `yaml:"title"`
	Claim  string           `yaml:"claim"`  // the paper's claim the runs test
	Claims []string         `yaml:"claims"` // the claim IDs the report checks (S1-S10 vision, L1-L5 LM)
	Kind   string           `yaml:"kind"`   // sweep | sequence | custom
	Scales map[string]Scale `yaml:"scales"`
}

// Scale is one size of an experiment.
type Scale struct {
	Note    string            `yaml:"note"`    // what this scale reduces, and why
	From    string            `yaml:"from"`    // inherit base, grid and runs from another scale
	Base    map[string]any    `yaml:"base"`    // the base training config
	Set     map[string]any    `yaml:"set"`     // dotted overrides on top of the base
	Grid    map[string][]any  `yaml:"grid"`    // sweep axes (kind sweep)
	Runs    []SequenceRun     `yaml:"runs"`    // ordered runs (kind sequence)
	Workers int               `yaml:"workers"` // default parallel cells
	Args    map[string]string `yaml:"args"`    // custom kinds' parameters
}

// SequenceRun is one run of a sequence; "{run:NAME}" in a value is replaced
// by the directory of the earlier run NAME.
type SequenceRun struct {
	Name string         `yaml:"name"`
	Set  map[string]any `yaml:"set"`
}

// Scales lists the scale names every experiment defines.
var Scales = []string{"tiny", "small", "paper"}

// Catalog loads and checks every embedded experiment, sorted by name.
func Catalog() ([]Experiment, error) {
	files, err := catalogFS.ReadDir("catalog")
	if err != nil {
		return nil, err
	}
	var out []Experiment
	for _, f := range files {
		raw, err := catalogFS.ReadFile(path.Join("catalog", f.Name()))
		if err != nil {
			return nil, err
		}
		var e Experiment
		if err := yaml.Unmarshal(raw, &e); err != nil {
			return nil, fmt.Errorf("catalog %s: %v", f.Name(), err)
		}
		if err := e.check(); err != nil {
			return nil, fmt.Errorf("catalog %s: %v", f.Name(), err)
		}
		out = append(out, e)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// Find returns the named experiment.
func Find(name string) (Experiment, error) {
	all, err := Catalog()
	if err != nil {
		return Experiment{}, err
	}
	var names []string
	for _, e := range all {
		if e.Name == name {
			return e, nil
		}
		names = append(names, e.Name)
	}
	return Experiment{}, fmt.Errorf("no experiment %q (have: %v)", name, names)
}

// Resolve returns the scale with From inheritance applied: the parent's
// base, grid, runs and args, with this scale's Set, Grid, Runs, Args and
// Workers taking precedence.
func (e Experiment) Resolve(scale string) (Scale, error) {
	s, ok := e.Scales[scale]
	if !ok {
		return Scale{}, fmt.Errorf("experiment %s has no scale %q (have tiny, small, paper)", e.Name, scale)
	}
	if s.From == "" {
		return s, nil
	}
	parent, err := e.Resolve(s.From)
	if err != nil {
		return Scale{}, err
	}
	merged := parent
	merged.Note, merged.From = s.Note, ""
	merged.Set = map[string]any{}
	for k, v := range parent.Set {
		merged.Set[k] = v
	}
	for k, v := range s.Set {
		merged.Set[k] = v
	}
	if s.Grid != nil {
		merged.Grid = s.Grid
	}
	if s.Runs != nil {
		merged.Runs = s.Runs
	}
	if s.Workers != 0 {
		merged.Workers = s.Workers
	}
	for k, v := range s.Args {
		if merged.Args == nil {
			merged.Args = map[string]string{}
		}
		merged.Args[k] = v
	}
	return merged, nil
}

// check validates an entry: known kind, all three scales resolvable.
func (e Experiment) check() error {
	if e.Name == "" || e.Title == "" || e.Claim == "" || e.Figure == "" {
		return fmt.Errorf("name, figure, title and claim are required")
	}
	for _, sc := range Scales {
		s, err := e.Resolve(sc)
		if err != nil {
			return err
		}
		switch e.Kind {
		case "sweep":
			if s.Base == nil || len(s.Grid) == 0 {
				return fmt.Errorf("scale %s: a sweep needs base and grid", sc)
			}
		case "sequence":
			if s.Base == nil || len(s.Runs) == 0 {
				return fmt.Errorf("scale %s: a sequence needs base and runs", sc)
			}
		case "custom":
		default:
			return fmt.Errorf("unknown kind %q", e.Kind)
		}
	}
	return nil
}
