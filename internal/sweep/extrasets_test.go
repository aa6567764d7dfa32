package sweep

import (
	"errors"
	"strings"
	"testing"

	"wdlab/internal/config"
)

// Command-line overrides join (or replace) the fixed ones and reach every
// cell; grid axes, unknown keys and malformed pairs are config errors.
func TestAddSets(t *testing.T) {
	sw, err := Load(writeSweep(t, "base: base.yaml\nset: {optim.momentum: 0}\ngrid: {optim.wd: [0, 0.1]}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if err := sw.AddSets([]string{"optim.momentum=0.9", "train.epochs=3"}); err != nil {
		t.Fatal(err)
	}
	c, _ := sw.Cell(1)
	if got := strings.Join(sw.Overrides(c), " "); got != "optim.momentum=0.9 train.epochs=3 optim.wd=0.1" {
		t.Errorf("overrides %q", got)
	}
	for _, bad := range []string{"optim.wd=0.5", "optim.nosuch=1", "noequals", "train.epochs=-1"} {
		var ce *config.InputError
		if err := sw.AddSets([]string{bad}); !errors.As(err, &ce) {
			t.Errorf("--set %s: err %v, want a config error", bad, err)
		}
		if got := strings.Join(sw.Overrides(c), " "); got != "optim.momentum=0.9 train.epochs=3 optim.wd=0.1" {
			t.Errorf("after the refused --set %s: overrides %q", bad, got)
		}
	}
	if got := strings.Join(SetArgs([]string{"a=1", "b=2"}), " "); got != "--set a=1 --set b=2" {
		t.Errorf("SetArgs: %q", got)
	}
}
