package equilibrium

import "wdlab/internal/data"

// poolImages returns d with every image average-pooled over k x k windows
// (trailing rows and columns that do not fill a window are dropped). It is
// a fixed linear preprocessing, done once instead of in every forward pass.
func poolImages(d *data.Dataset, k int) *data.Dataset {
	if k <= 1 {
		return d
	}
	h, w, c := d.H/k, d.W/k, d.C
	out := &data.Dataset{Name: d.Name, N: d.N, H: h, W: w, C: c, Classes: d.Classes,
		X: make([]float32, d.N*h*w*c), Y: append([]int32(nil), d.Y...)}
	inv := 1 / float32(k*k)
	for n := range d.N {
		src := d.X[n*d.Dim() : (n+1)*d.Dim()]
		dst := out.X[n*out.Dim() : (n+1)*out.Dim()]
		for y := range h {
			for x := range w {
				for ch := range c {
					var s float32
					for dy := range k {
						for dx := range k {
							s += src[((y*k+dy)*d.W+x*k+dx)*c+ch]
						}
					}
					dst[(y*w+x)*c+ch] = s * inv
				}
			}
		}
	}
	return out
}
