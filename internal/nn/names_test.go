package nn

import "testing"

func TestOpName(t *testing.T) {
	for _, c := range []struct {
		prefix string
		i      int
		op     OpDesc
		want   string
	}{
		{"", 3, OpDesc{}, "3"},
		{"", 3, OpDesc{Name: "conv1"}, "conv1"},
		{"layer1.0", 2, OpDesc{}, "layer1.0.2"},
		{"layer1.0", 2, OpDesc{Name: "bn"}, "layer1.0.bn"},
	} {
		if got := OpName(c.prefix, c.i, c.op); got != c.want {
			t.Errorf("OpName(%q, %d, %q) = %q, want %q", c.prefix, c.i, c.op.Name, got, c.want)
		}
	}
}
