package data

// collector accumulates examples in file order, keeping at most perClass of
// each class (perClass 0 keeps all), so that loaders of large datasets can
// stop reading as soon as every class is full. What it keeps equals
// BalancedSubset(perClass) of everything it was offered.
type collector struct {
	perClass, classes int
	count             []int
	full              int // classes that have perClass examples
	x                 []float32
	y                 []int32
}

// newCollector returns a collector for images of dim values; capHint is the
// expected number of kept examples (0 = unknown).
func newCollector(classes, perClass, dim, capHint int) *collector {
	c := &collector{perClass: perClass, classes: classes, count: make([]int, classes)}
	if perClass > 0 && (capHint == 0 || perClass*classes < capHint) {
		capHint = perClass * classes
	}
	c.x = make([]float32, 0, capHint*dim)
	c.y = make([]int32, 0, capHint)
	return c
}

// done reports whether every class has perClass examples (never without a cap).
func (c *collector) done() bool { return c.perClass > 0 && c.full == c.classes }

// add offers one example (label y in 0..classes-1, HWC bytes pix) and
// reports whether it was kept.
func (c *collector) add(y int, pix []uint8) bool {
	if c.perClass > 0 {
		if c.count[y] >= c.perClass {
			return false
		}
		if c.count[y]++; c.count[y] == c.perClass {
			c.full++
		}
	}
	n := len(c.x)
	if n+len(pix) > cap(c.x) {
		grown := make([]float32, n, 2*cap(c.x)+len(pix))
		copy(grown, c.x)
		c.x = grown
	}
	c.x = c.x[:n+len(pix)]
	for i, p := range pix {
		c.x[n+i] = float32(p)
	}
	c.y = append(c.y, int32(y))
	return true
}

// dataset returns what was kept as a Dataset of h x w x ch images.
func (c *collector) dataset(name string, h, w, ch int) *Dataset {
	return &Dataset{Name: name, N: len(c.y), H: h, W: w, C: ch, Classes: c.classes, X: c.x, Y: c.y}
}
