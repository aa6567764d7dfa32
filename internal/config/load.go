package config

import (
	"bytes"
	"errors"
	"os"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// Load reads a YAML config file, applies key=value overrides (dotted keys,
// YAML scalar values) and validates the result. Every failure caused by the
// input is a *InputError with a one-line message.
func Load(path string, sets []string) (Config, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return Config{}, Inputf("config file %s does not exist", path)
		}
		return Config{}, Inputf("config file %s: %w", path, err)
	}
	return Parse(raw, path, sets)
}

// Parse is Load on bytes; name is used in messages.
func Parse(raw []byte, name string, sets []string) (Config, error) {
	tree := map[string]any{}
	if err := yaml.Unmarshal(raw, &tree); err != nil {
		return Config{}, Inputf("%s: %s", name, oneLine(err))
	}
	if tree == nil {
		tree = map[string]any{}
	}
	for _, s := range sets {
		if err := applySet(tree, s); err != nil {
			return Config{}, err
		}
	}
	merged, err := yaml.Marshal(tree)
	if err != nil {
		return Config{}, Inputf("%s: %w", name, err)
	}
	cfg := Default()
	dec := yaml.NewDecoder(bytes.NewReader(merged))
	dec.KnownFields(true)
	if err := dec.Decode(&cfg); err != nil && err.Error() != "EOF" {
		return Config{}, Inputf("%s: %s", name, withKeys(merged, oneLine(err)))
	}
	if _, named := tree["executor"]; !named {
		cfg.Executor = DefaultExecutor(cfg)
	}
	if err := cfg.Validate(); err != nil {
		return Config{}, Inputf("%s: %w", name, err)
	}
	return cfg, nil
}

// DefaultExecutor picks the executor of a config that names none: the
// native engine, unless the binary installs a faster one for the model
// (wdlab does for the convolutional nets when built with oneDNN).
var DefaultExecutor = func(Config) string { return "native" }

// applySet applies one "a.b.c=value" override to the YAML tree.
func applySet(tree map[string]any, s string) error {
	key, val, ok := strings.Cut(s, "=")
	if !ok || key == "" {
		return Inputf("--set %q: want key=value", s)
	}
	var v any
	if err := yaml.Unmarshal([]byte(val), &v); err != nil {
		return Inputf("--set %q: bad value %q: %s", key, val, oneLine(err))
	}
	parts := strings.Split(key, ".")
	node := tree
	for _, p := range parts[:len(parts)-1] {
		next, ok := node[p].(map[string]any)
		if !ok {
			if node[p] != nil {
				return Inputf("--set %q: %q is not a section", key, p)
			}
			next = map[string]any{}
			node[p] = next
		}
		node = next
	}
	node[parts[len(parts)-1]] = v
	return nil
}

// withKeys replaces "line N:" references into the merged YAML (which the
// user never sees) with the dotted key defined on that line.
func withKeys(merged []byte, msg string) string {
	var root yaml.Node
	if yaml.Unmarshal(merged, &root) != nil {
		return msg
	}
	keys := map[int]string{}
	var walk func(n *yaml.Node, prefix string)
	walk = func(n *yaml.Node, prefix string) {
		for _, c := range n.Content {
			if n.Kind != yaml.MappingNode {
				walk(c, prefix)
			}
		}
		if n.Kind != yaml.MappingNode {
			return
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := prefix + n.Content[i].Value
			keys[n.Content[i].Line] = k
			walk(n.Content[i+1], k+".")
		}
	}
	walk(&root, "")
	re := regexp.MustCompile(`line (\d+): `)
	return re.ReplaceAllStringFunc(msg, func(m string) string {
		line, _ := strconv.Atoi(re.FindStringSubmatch(m)[1])
		if k, ok := keys[line]; ok {
			if strings.ContainsAny(k, "\n\r") || !utf8.ValidString(k) {
				k = strconv.Quote(k)
			}
			return "key " + k + ": "
		}
		return m
	})
}

// oneLine flattens multi-line YAML errors into one line.
func oneLine(err error) string {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	msg = strings.TrimPrefix(msg, "unmarshal errors:\n")
	lines := strings.Split(msg, "\n")
	for i := range lines {
		lines[i] = strings.TrimSpace(lines[i])
	}
	return strings.Join(lines, "; ")
}

// Marshal renders the config as YAML (the run directory's config.yaml).
func (c Config) Marshal() []byte {
	b, _ := yaml.Marshal(c)
	return b
}
