package report

import (
	"fmt"
	"sort"
	"strings"
)

// seedKeys are the config keys that do not change what a run measures:
// runs that differ only in them are repeats of one setting.
var seedKeys = map[string]bool{"seed": true, "name": true, "executor": true, "gomlx_backend": true}

// seedMetrics are the final values the seed table summarises, in order.
var seedMetrics = []string{"test_err", "ema_test_err", "val_loss", "ema_val_loss"}

// seedGroup is one setting run with several seeds.
type seedGroup struct {
	Setting string   // the config values that tell the groups apart
	Seeds   []string // the seeds, sorted
	Stats   []string // "mean ± sd" per seedMetrics entry ("" when absent)
}

// seedGroups groups runs whose configs differ only in seedKeys and returns
// the groups of two or more runs, with the mean and sample standard
// deviation of each final metric, in the order of their first run.
func seedGroups(runs []Run) []seedGroup {
	varying := varyingKeys(runs)
	var out []seedGroup
	for _, set := range settings(runs) {
		rs := set.Runs
		if len(rs) < 2 {
			continue
		}
		g := seedGroup{Setting: describe(set.first().Config, varying)}
		for _, r := range rs {
			g.Seeds = append(g.Seeds, fmt.Sprint(r.Config["seed"]))
		}
		sort.Strings(g.Seeds)
		for _, m := range seedMetrics {
			var xs []float64
			for _, r := range rs {
				if v, ok := r.Final(m); ok {
					xs = append(xs, v)
				}
			}
			g.Stats = append(g.Stats, meanSD(xs))
		}
		out = append(out, g)
	}
	return out
}

// settingKey renders a config without its seedKeys, sorted.
func settingKey(cfg map[string]any) string {
	parts := make([]string, 0, len(cfg))
	for k, v := range cfg {
		if !seedKeys[k] {
			parts = append(parts, fmt.Sprintf("%s=%v", k, v))
		}
	}
	sort.Strings(parts)
	return strings.Join(parts, "\n")
}

// varyingKeys lists the config keys (seedKeys aside) whose values differ
// between runs, sorted.
func varyingKeys(runs []Run) []string {
	seen := map[string]map[string]bool{}
	for _, r := range runs {
		for k, v := range r.Config {
			if seen[k] == nil {
				seen[k] = map[string]bool{}
			}
			seen[k][fmt.Sprint(v)] = true
		}
	}
	var out []string
	for k, vals := range seen {
		if !seedKeys[k] && len(vals) > 1 {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

// describe renders the varying keys of one config ("all runs" when none).
func describe(cfg map[string]any, keys []string) string {
	if len(keys) == 0 {
		return "all runs"
	}
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s=%v", k, cfg[k])
	}
	return strings.Join(parts, ", ")
}

// meanSD formats the mean and sample standard deviation of xs ("" when
// empty; the value alone for one).
func meanSD(xs []float64) string {
	switch len(xs) {
	case 0:
		return ""
	case 1:
		return num(xs[0])
	}
	return statOf(xs).String()
}
