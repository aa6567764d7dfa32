package sweep

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"wdlab/internal/config"
)

// maxCells bounds a grid so that a typo cannot plan millions of runs.
const maxCells = 100000

// Override is one key=value passed to `wdlab train --set`. Value is the
// YAML scalar exactly as written in the sweep file.
type Override struct {
	Key   string // dotted config key, e.g. optim.lr
	Value string // YAML scalar text, e.g. 5e-4
}

// String returns "key=value".
func (o Override) String() string { return o.Key + "=" + o.Value }

// Axis is one grid dimension: a config key and the values it takes.
type Axis struct {
	Key    string   // dotted config key
	Values []string // YAML scalar texts, in the order written
}

// Sweep is a parsed sweep file.
type Sweep struct {
	Name    string     // the sweep's name (default: the file name without extension)
	Path    string     // absolute path of the sweep file
	Base    string     // absolute path of the base training config
	Set     []Override // fixed overrides, sorted by key
	Grid    []Axis     // grid axes, sorted by key (the last varies fastest)
	Workers int        // default number of local workers, 0 if not given
	// Resources are what each cluster task asks for (the resources
	// mapping); the emit flags override them.
	Resources Resources
	Raw       []byte // the file's bytes, copied to OUT/sweep.yaml
}

// Load reads and strictly parses a sweep file. Every problem with the
// file's content is a *config.InputError.
func Load(path string) (*Sweep, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	return Parse(data, abs)
}

// Parse strictly parses a sweep file's content; path (absolute) locates a
// relative base config. Unknown keys, duplicate keys, a missing base, an
// empty grid or grid list, non-scalar values, repeated values and keys both
// fixed and swept are errors (*config.InputError).
func Parse(data []byte, path string) (*Sweep, error) {
	fail := func(format string, a ...any) error {
		return config.Inputf("%s: %w", path, fmt.Errorf(format, a...))
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fail("%v", err)
	}
	if len(doc.Content) != 1 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, fail("a sweep file is a mapping with keys name, base, set, grid, workers, resources")
	}
	sw := &Sweep{Path: path, Raw: data}
	var baseNode, gridNode *yaml.Node
	seen := map[string]bool{}
	top := doc.Content[0].Content
	for i := 0; i+1 < len(top); i += 2 {
		k, v := top[i], top[i+1]
		if seen[k.Value] {
			return nil, fail("line %d: key %q given twice", k.Line, k.Value)
		}
		seen[k.Value] = true
		var err error
		switch k.Value {
		case "name":
			sw.Name, err = scalar(v)
		case "base":
			baseNode = v
		case "set":
			sw.Set, err = parseSet(v)
		case "grid":
			gridNode = v
		case "workers":
			sw.Workers, err = parseWorkers(v)
		case "resources":
			sw.Resources, err = parseResources(v)
		default:
			return nil, fail("line %d: unknown key %q (want name, base, set, grid, workers, resources)", k.Line, k.Value)
		}
		if err != nil {
			return nil, fail("%s: %v", k.Value, err)
		}
	}
	if baseNode == nil {
		return nil, fail("missing key base (the training config the grid overrides)")
	}
	base, err := scalar(baseNode)
	if err != nil || base == "" {
		return nil, fail("base: want a path to a training config")
	}
	if !filepath.IsAbs(base) {
		base = filepath.Join(filepath.Dir(path), base)
	}
	if st, err := os.Stat(base); err != nil || st.IsDir() {
		return nil, fail("base %s: not a readable file", base)
	}
	sw.Base = base
	if gridNode == nil {
		return nil, fail("missing key grid (config key -> list of values)")
	}
	if sw.Grid, err = parseGrid(gridNode); err != nil {
		return nil, fail("grid: %v", err)
	}
	for _, o := range sw.Set {
		for _, a := range sw.Grid {
			if o.Key == a.Key {
				return nil, fail("key %q is both fixed (set) and swept (grid)", o.Key)
			}
		}
	}
	if sw.Name == "" {
		sw.Name = strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	}
	return sw, nil
}

// scalar returns a scalar node's text.
func scalar(n *yaml.Node) (string, error) {
	if n.Kind != yaml.ScalarNode {
		return "", fmt.Errorf("line %d: want a single value", n.Line)
	}
	return n.Value, nil
}

// checkKey rejects config keys that cannot be passed as key=value.
func checkKey(n *yaml.Node) (string, error) {
	k, err := scalar(n)
	if err != nil {
		return "", err
	}
	if k == "" || strings.ContainsAny(k, "= \t\n") {
		return "", fmt.Errorf("line %d: invalid config key %q", n.Line, k)
	}
	return k, nil
}

func parseWorkers(n *yaml.Node) (int, error) {
	s, err := scalar(n)
	if err != nil {
		return 0, err
	}
	w, err := strconv.Atoi(s)
	if err != nil || w < 1 {
		return 0, fmt.Errorf("line %d: want a positive integer, got %q", n.Line, s)
	}
	return w, nil
}

// parseResources reads the resources mapping: each key of ResourceKeys at
// most once with a scalar value, sbatch also with a list of them.
// eachPair calls f for each key (read by key) and value of the mapping n,
// rejecting a key given twice.
func eachPair(n *yaml.Node, key func(*yaml.Node) (string, error), f func(k string, v *yaml.Node) error) error {
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, err := key(n.Content[i])
		if err != nil {
			return err
		}
		if seen[k] {
			return fmt.Errorf("key %q given twice", k)
		}
		seen[k] = true
		if err := f(k, n.Content[i+1]); err != nil {
			return err
		}
	}
	return nil
}

func parseResources(n *yaml.Node) (Resources, error) {
	var r Resources
	if n.Kind != yaml.MappingNode {
		return r, fmt.Errorf("line %d: want a mapping of %s", n.Line, strings.Join(ResourceKeys, ", "))
	}
	err := eachPair(n, scalar, func(k string, v *yaml.Node) error {
		values := []*yaml.Node{v}
		if k == "sbatch" && v.Kind == yaml.SequenceNode {
			values = v.Content
		}
		for _, v := range values {
			text, err := scalar(v)
			if err != nil {
				return fmt.Errorf("%s: %v", k, err)
			}
			if err := r.Set(k, text); err != nil {
				return fmt.Errorf("line %d: %v", v.Line, err)
			}
		}
		return nil
	})
	return r, err
}

func parseSet(n *yaml.Node) ([]Override, error) {
	if n.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("line %d: want a mapping of config key -> value", n.Line)
	}
	var set []Override
	err := eachPair(n, checkKey, func(k string, vn *yaml.Node) error {
		v, err := setValue(vn)
		if err != nil {
			return fmt.Errorf("%s: %v", k, err)
		}
		set = append(set, Override{k, v})
		return nil
	})
	if err != nil {
		return nil, err
	}
	sortOverrides(set)
	return set, nil
}

// setValue returns a fixed override's value as --set text: a scalar's
// text, or a list of scalars in YAML flow style ("[2, 2, 2, 2]", e.g.
// model.blocks).
func setValue(n *yaml.Node) (string, error) {
	if n.Kind != yaml.SequenceNode {
		return scalar(n)
	}
	items := make([]string, len(n.Content))
	for i, c := range n.Content {
		v, err := scalar(c)
		if err != nil {
			return "", err
		}
		if c.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0 || strings.ContainsAny(v, ",[]{}:#") {
			v = strconv.Quote(v)
		}
		items[i] = v
	}
	return "[" + strings.Join(items, ", ") + "]", nil
}

func parseGrid(n *yaml.Node) ([]Axis, error) {
	if n.Kind != yaml.MappingNode || len(n.Content) == 0 {
		return nil, fmt.Errorf("line %d: want a non-empty mapping of config key -> list of values", n.Line)
	}
	var grid []Axis
	cells := 1
	err := eachPair(n, checkKey, func(k string, list *yaml.Node) error {
		if list.Kind != yaml.SequenceNode {
			return fmt.Errorf("%s: line %d: want a list of values", k, list.Line)
		}
		if len(list.Content) == 0 {
			return fmt.Errorf("%s: empty list of values", k)
		}
		a := Axis{Key: k}
		have := map[string]bool{}
		for _, item := range list.Content {
			v, err := scalar(item)
			if err != nil {
				return fmt.Errorf("%s: %v", k, err)
			}
			if have[v] {
				return fmt.Errorf("%s: value %q listed twice", k, v)
			}
			have[v] = true
			a.Values = append(a.Values, v)
		}
		if cells *= len(a.Values); cells > maxCells {
			return fmt.Errorf("more than %d cells", maxCells)
		}
		grid = append(grid, a)
		return nil
	})
	if err != nil {
		return nil, err
	}
	sortAxes(grid)
	return grid, nil
}
