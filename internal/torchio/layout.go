package torchio

import (
	"fmt"

	"wdlab/internal/ckpt"
)

// Axis orders between the layouts, by tensor rank: entry i of toTorch is
// the wdlab axis that becomes PyTorch axis i.
var (
	toTorch   = map[int][]int{1: {0}, 2: {1, 0}, 4: {3, 2, 0, 1}} // [in,out] -> [out,in]; [kh,kw,cin,cout] -> [cout,cin,kh,kw]
	fromTorch = map[int][]int{1: {0}, 2: {1, 0}, 4: {2, 3, 1, 0}}
)

// ToTorch returns a wdlab tensor (a 1-D BN or bias vector, a 2-D linear
// weight or a 4-D conv weight) in PyTorch's layout.
func ToTorch(t ckpt.Tensor) (ckpt.Tensor, error) { return permute(t, toTorch) }

// FromTorch is the inverse of ToTorch.
func FromTorch(t ckpt.Tensor) (ckpt.Tensor, error) { return permute(t, fromTorch) }

// permute transposes t so that output axis i is input axis perm[i], with
// perm chosen by rank.
func permute(t ckpt.Tensor, perms map[int][]int) (ckpt.Tensor, error) {
	perm, shape, err := permShape(t.Shape, perms)
	if err != nil {
		return ckpt.Tensor{}, err
	}
	n := numel(t.Shape)
	if n != len(t.Data) {
		return ckpt.Tensor{}, fmt.Errorf("shape %v does not hold %d values", t.Shape, len(t.Data))
	}
	inStride := strides(t.Shape)
	out := make([]float32, n)
	idx := make([]int, len(shape)) // output multi-index
	for o := range out {
		src := 0
		for i, a := range perm {
			src += idx[i] * inStride[a]
		}
		out[o] = t.Data[src]
		for i := len(idx) - 1; i >= 0; i-- { // next output index, row-major
			if idx[i]++; idx[i] < shape[i] {
				break
			}
			idx[i] = 0
		}
	}
	return ckpt.Tensor{Shape: shape, Data: out}, nil
}

// permShape returns the axis order for a shape's rank and the permuted shape.
func permShape(in []int, perms map[int][]int) (perm, out []int, err error) {
	perm, ok := perms[len(in)]
	if !ok {
		return nil, nil, fmt.Errorf("a %d-D tensor has no PyTorch counterpart (want 1-D, 2-D linear or 4-D conv)", len(in))
	}
	out = make([]int, len(perm))
	for i, a := range perm {
		out[i] = in[a]
	}
	return perm, out, nil
}

func numel(shape []int) int {
	n := 1
	for _, d := range shape {
		n *= d
	}
	return n
}

// strides of a row-major array of this shape.
func strides(shape []int) []int {
	s := make([]int, len(shape))
	acc := 1
	for i := len(shape) - 1; i >= 0; i-- {
		s[i] = acc
		acc *= shape[i]
	}
	return s
}
