package sweep

import (
	"fmt"
	"sort"
	"strings"
)

// maxLabel bounds the key=value part of a cell directory name.
const maxLabel = 120

// Cell is one point of the grid.
type Cell struct {
	Index  int        // 0..NumCells-1
	Values []Override // one value per grid axis, in axis order
}

func sortOverrides(o []Override) { sort.Slice(o, func(i, j int) bool { return o[i].Key < o[j].Key }) }

func sortAxes(a []Axis) { sort.Slice(a, func(i, j int) bool { return a[i].Key < a[j].Key }) }

// NumCells returns the number of cells: the product of the axis lengths.
func (s *Sweep) NumCells() int {
	n := 1
	for _, a := range s.Grid {
		n *= len(a.Values)
	}
	return n
}

// Cell returns cell i of the cartesian product, axes in key order with the
// last axis varying fastest (a mixed-radix decomposition of i).
func (s *Sweep) Cell(i int) (Cell, error) {
	if n := s.NumCells(); i < 0 || i >= n {
		return Cell{}, fmt.Errorf("cell index %d out of range 0..%d", i, n-1)
	}
	c := Cell{Index: i, Values: make([]Override, len(s.Grid))}
	rest := i
	for a := len(s.Grid) - 1; a >= 0; a-- {
		ax := s.Grid[a]
		c.Values[a] = Override{ax.Key, ax.Values[rest%len(ax.Values)]}
		rest /= len(ax.Values)
	}
	return c, nil
}

// Cells returns every cell in index order.
func (s *Sweep) Cells() []Cell {
	cells := make([]Cell, s.NumCells())
	for i := range cells {
		cells[i], _ = s.Cell(i)
	}
	return cells
}

// Overrides returns the --set arguments of a cell: the fixed overrides,
// then the cell's grid values.
func (s *Sweep) Overrides(c Cell) []string {
	out := make([]string, 0, len(s.Set)+len(c.Values))
	for _, o := range s.Set {
		out = append(out, o.String())
	}
	for _, o := range c.Values {
		out = append(out, o.String())
	}
	return out
}

// Name returns the cell's directory name: the index on 4 digits, a dash and
// its key=value pairs joined by commas, with characters other than letters,
// digits and ._+-=, replaced by '_' and the pairs cut at 120 bytes.
func (c Cell) Name() string {
	parts := make([]string, len(c.Values))
	for i, o := range c.Values {
		parts[i] = o.String()
	}
	label := strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', strings.ContainsRune("._+-=,", r):
			return r
		}
		return '_'
	}, strings.Join(parts, ","))
	if len(label) > maxLabel {
		label = label[:maxLabel]
	}
	return fmt.Sprintf("%04d-%s", c.Index, label)
}
