package torchio

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"wdlab/internal/ckpt"
	"wdlab/internal/nn"
)

// Export returns the PyTorch state_dict of params (a model's parameters and
// buffers in wdlab layout, by name) as a safetensors file with PyTorch's
// "format": "pt" metadata plus meta.
func Export(params map[string]ckpt.Tensor, meta map[string]string) (ckpt.File, error) {
	f := ckpt.File{Tensors: map[string]ckpt.Tensor{}, Metadata: map[string]string{"format": "pt"}}
	for k, v := range meta {
		f.Metadata[k] = v
	}
	for name, t := range params {
		pt, err := ToTorch(t)
		if err != nil {
			return ckpt.File{}, fmt.Errorf("%s: %v", name, err)
		}
		f.Tensors[name] = pt
	}
	return f, nil
}

// Import copies the tensors of a PyTorch-layout file into params (a built
// model's parameters and buffers), converting layouts. Every param must be
// present with its PyTorch shape, and every tensor must name a param
// (num_batches_tracked aside), so that a file for another model is an
// error naming the first mismatch rather than a silent partial load.
func Import(f ckpt.File, params []*nn.Param) error {
	used := map[string]bool{}
	for _, p := range params {
		t, ok := f.Tensors[p.Name]
		if !ok {
			return fmt.Errorf("tensor %s (%s) missing", p.Name, torchShape(p.Shape))
		}
		w, err := FromTorch(t)
		if err != nil {
			return fmt.Errorf("%s: %v", p.Name, err)
		}
		if !slices.Equal(w.Shape, p.Shape) {
			return fmt.Errorf("tensor %s has shape %v, the model wants %s", p.Name, t.Shape, torchShape(p.Shape))
		}
		copy(p.W, w.Data)
		used[p.Name] = true
	}
	var extra []string
	for name := range f.Tensors {
		if !used[name] && !strings.HasSuffix(name, ".num_batches_tracked") {
			extra = append(extra, name)
		}
	}
	if len(extra) > 0 {
		sort.Strings(extra)
		return fmt.Errorf("tensor %s is not a parameter of this model (%d such tensors)", extra[0], len(extra))
	}
	return nil
}

// torchShape renders a wdlab shape in PyTorch's layout.
func torchShape(shape []int) string {
	if _, s, err := permShape(shape, toTorch); err == nil {
		return fmt.Sprint(s)
	}
	return fmt.Sprint(shape)
}
