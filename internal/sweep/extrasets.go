package sweep

import (
	"strings"

	"wdlab/internal/config"
)

// AddSets adds command-line overrides ("key=value", e.g. data.dir=/data)
// to the sweep's fixed overrides, replacing a fixed value of the same key.
// A grid axis cannot be overridden, and every cell's config must still
// parse and validate with them (checked on the last cell); problems are
// *config.InputError, and leave the sweep as it was.
func (s *Sweep) AddSets(sets []string) error {
	old := s.Set
	s.Set = append([]Override(nil), s.Set...)
	if err := s.addSets(sets); err != nil {
		s.Set = old
		return err
	}
	return nil
}

func (s *Sweep) addSets(sets []string) error {
	for _, kv := range sets {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return config.Inputf("--set %q: want key=value", kv)
		}
		for _, a := range s.Grid {
			if a.Key == k {
				return config.Inputf("--set %s: %s is a grid axis of this sweep", kv, k)
			}
		}
		replaced := false
		for i := range s.Set {
			if s.Set[i].Key == k {
				s.Set[i].Value, replaced = v, true
			}
		}
		if !replaced {
			s.Set = append(s.Set, Override{k, v})
		}
	}
	sortOverrides(s.Set)
	last, err := s.Cell(s.NumCells() - 1)
	if err != nil {
		return err
	}
	_, err = config.Load(s.Base, s.Overrides(last))
	return err
}

// SetArgs renders overrides as repeated --set arguments of `wdlab sweep`
// or `wdlab train`.
func SetArgs(sets []string) []string {
	out := make([]string, 0, 2*len(sets))
	for _, kv := range sets {
		out = append(out, "--set", kv)
	}
	return out
}
