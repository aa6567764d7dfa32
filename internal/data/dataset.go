package data

import "fmt"

// Dataset is a labelled image dataset held in memory.
type Dataset struct {
	// Name identifies the dataset ("fashion-mnist", "cifar10", "cifar100", "synthetic").
	Name string
	// N is the number of examples; H, W, C are the height, width and channels
	// of one image; Classes is the number of label values (labels are 0..Classes-1).
	N, H, W, C, Classes int
	// X holds the N images in NHWC order: pixel (n, y, x, c) is at
	// ((n*H+y)*W+x)*C+c. Loaders fill it on the 0..255 scale.
	X []float32
	// Y holds the N labels.
	Y []int32
}

// Dim returns the number of values in one example, H*W*C.
func (d *Dataset) Dim() int { return d.H * d.W * d.C }

// Subset returns a copy of the examples at idx, in the order of idx
// (repeats allowed). It panics if an index is out of range.
func (d *Dataset) Subset(idx []int) *Dataset {
	s := &Dataset{Name: d.Name, N: len(idx), H: d.H, W: d.W, C: d.C, Classes: d.Classes,
		X: make([]float32, len(idx)*d.Dim()), Y: make([]int32, len(idx))}
	d.Gather(idx, s.X, s.Y)
	return s
}

// BalancedSubset returns the first perClass examples of each class, kept in
// dataset order (the paper's cifar10_5k is BalancedSubset(500) of the
// CIFAR-10 train set). It fails if perClass < 1 or a class has fewer examples.
func (d *Dataset) BalancedSubset(perClass int) (*Dataset, error) {
	if perClass < 1 {
		return nil, fmt.Errorf("data: %s: balanced subset: perClass must be >= 1, got %d", d.Name, perClass)
	}
	count := make([]int, d.Classes)
	idx := make([]int, 0, perClass*d.Classes)
	for i := 0; i < d.N && len(idx) < perClass*d.Classes; i++ {
		y := d.Y[i]
		if y < 0 || int(y) >= d.Classes {
			return nil, fmt.Errorf("data: %s: balanced subset: label %d of example %d is outside 0..%d", d.Name, y, i, d.Classes-1)
		}
		if count[y] < perClass {
			count[y]++
			idx = append(idx, i)
		}
	}
	for k, c := range count {
		if c < perClass {
			return nil, fmt.Errorf("data: %s: balanced subset: class %d has %d examples, want %d", d.Name, k, c, perClass)
		}
	}
	return d.Subset(idx), nil
}

// KeepPerClass is BalancedSubset without the copy when d already has
// exactly perClass examples of every class (as the loaders of large datasets
// return it): then it returns d itself.
func (d *Dataset) KeepPerClass(perClass int) (*Dataset, error) {
	count := make([]int, d.Classes)
	for _, y := range d.Y {
		if y < 0 || int(y) >= d.Classes {
			return d.BalancedSubset(perClass)
		}
		count[y]++
	}
	for _, c := range count {
		if c != perClass {
			return d.BalancedSubset(perClass)
		}
	}
	return d, nil
}

// Gather copies the examples at idx into the batch buffers x (at least
// len(idx)*Dim() values) and y (at least len(idx) labels), in the order of
// idx. It panics if a buffer is too short or an index is out of range.
func (d *Dataset) Gather(idx []int, x []float32, y []int32) {
	dim := d.Dim()
	if len(x) < len(idx)*dim || len(y) < len(idx) {
		panic(fmt.Sprintf("data: Gather: %d examples need x[%d] and y[%d], got x[%d] and y[%d]",
			len(idx), len(idx)*dim, len(idx), len(x), len(y)))
	}
	for k, i := range idx {
		copy(x[k*dim:(k+1)*dim], d.X[i*dim:(i+1)*dim])
		y[k] = d.Y[i]
	}
}

// fromBytes builds a Dataset from NHWC uint8 pixels and uint8 labels,
// converting pixels to float32 on the 0..255 scale.
func fromBytes(name string, n, h, w, c, classes int, pix, labels []uint8) *Dataset {
	d := &Dataset{Name: name, N: n, H: h, W: w, C: c, Classes: classes,
		X: make([]float32, len(pix)), Y: make([]int32, len(labels))}
	for i, p := range pix {
		d.X[i] = float32(p)
	}
	for i, l := range labels {
		d.Y[i] = int32(l)
	}
	return d
}
