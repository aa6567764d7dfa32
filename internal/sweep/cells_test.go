package sweep

import (
	"strings"
	"testing"
)

func testSweep() *Sweep {
	return &Sweep{
		Name: "t",
		Set:  []Override{{"epochs", "2"}},
		Grid: []Axis{{"a", []string{"x", "y"}}, {"b", []string{"1", "2", "3"}}},
	}
}

func TestCellOrderLastKeyFastest(t *testing.T) {
	sw := testSweep()
	want := []string{"a=x b=1", "a=x b=2", "a=x b=3", "a=y b=1", "a=y b=2", "a=y b=3"}
	cells := sw.Cells()
	if len(cells) != len(want) {
		t.Fatalf("%d cells", len(cells))
	}
	for i, c := range cells {
		got := c.Values[0].String() + " " + c.Values[1].String()
		if c.Index != i || got != want[i] {
			t.Errorf("cell %d = %d %q, want %q", i, c.Index, got, want[i])
		}
	}
	if _, err := sw.Cell(6); err == nil {
		t.Error("cell 6 of 6 must be out of range")
	}
	if _, err := sw.Cell(-1); err == nil {
		t.Error("cell -1 must be out of range")
	}
	if got := strings.Join(sw.Overrides(cells[4]), " "); got != "epochs=2 a=y b=2" {
		t.Errorf("overrides %q", got)
	}
}

func TestCellName(t *testing.T) {
	c := Cell{Index: 4, Values: []Override{{"optim.lr", "1e-3"}, {"model.name", "res net/18"}}}
	if got := c.Name(); got != "0004-optim.lr=1e-3,model.name=res_net_18" {
		t.Errorf("name %q", got)
	}
	long := Cell{Index: 12345, Values: []Override{{"k", strings.Repeat("v", 300)}}}
	if got := long.Name(); !strings.HasPrefix(got, "12345-k=vvv") || len(got) != len("12345-")+maxLabel {
		t.Errorf("long name %q (%d bytes)", got, len(got))
	}
}
