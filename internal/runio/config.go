package runio

import (
	"fmt"
	"os"
	"strconv"

	"gopkg.in/yaml.v3"
)

// Config keys that name the hyper-parameters runs are compared by, most
// specific first (the resolved training config nests them under optim).
var (
	LRKeys   = []string{"optim.lr", "lr"}
	WDKeys   = []string{"optim.wd", "wd", "optim.weight_decay", "weight_decay"}
	SeedKeys = []string{"seed"}
)

// ParseConfig parses a YAML config and flattens nested mappings into dotted
// keys ("optim": {"lr": 0.1} becomes "optim.lr": 0.1). Sequences and
// scalars are kept as decoded by yaml.v3.
func ParseConfig(data []byte) (map[string]any, error) {
	var root map[string]any
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, err
	}
	flat := map[string]any{}
	flatten("", root, flat)
	return flat, nil
}

// ReadConfig reads and flattens a config.yaml file (see ParseConfig).
func ReadConfig(path string) (map[string]any, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	flat, err := ParseConfig(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	return flat, nil
}

func flatten(prefix string, m map[string]any, out map[string]any) {
	for k, v := range m {
		key := k
		if prefix != "" {
			key = prefix + "." + k
		}
		if sub, ok := v.(map[string]any); ok {
			flatten(key, sub, out)
			continue
		}
		out[key] = v
	}
}

// ConfigNumber returns the value of the first of keys present in a
// flattened config that is a number (or a string holding one).
func ConfigNumber(cfg map[string]any, keys ...string) (float64, bool) {
	for _, k := range keys {
		switch v := cfg[k].(type) {
		case int:
			return float64(v), true
		case int64:
			return float64(v), true
		case uint64:
			return float64(v), true
		case float64:
			return v, true
		case string:
			if x, err := strconv.ParseFloat(v, 64); err == nil {
				return x, true
			}
		}
	}
	return 0, false
}
