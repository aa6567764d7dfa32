package nn

// Tensor is a dense row-major float32 array. Images are NHWC, dense
// activations [N, D], token activations [B, T, D].
type Tensor struct {
	Shape []int
	Data  []float32
}

// NewTensor allocates a zeroed tensor of the given shape.
func NewTensor(shape ...int) *Tensor {
	return &Tensor{Shape: append([]int(nil), shape...), Data: make([]float32, numel(shape))}
}

// N returns the leading (batch) dimension.
func (t *Tensor) N() int { return t.Shape[0] }

// Len returns the number of elements.
func (t *Tensor) Len() int { return len(t.Data) }

func numel(shape []int) int {
	n := 1
	for _, d := range shape {
		n *= d
	}
	return n
}

// reuse returns t if it has exactly the shape asked for, else a new tensor.
// Layers use it to keep their output buffers across steps.
func reuse(t *Tensor, shape ...int) *Tensor {
	if t != nil && len(t.Shape) == len(shape) {
		same := true
		for i := range shape {
			if t.Shape[i] != shape[i] {
				same = false
				break
			}
		}
		if same {
			return t
		}
	}
	return NewTensor(shape...)
}
