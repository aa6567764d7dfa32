package kern

import "testing"

// BenchmarkBNFused times the four fused batch-norm passes over one
// width-16 stage activation of PreAct-ResNet-18 at batch 128 (nChw16c:
// 128 chunks of 32x32 rows of 16 channels, 8 MB).
func BenchmarkBNFused(b *testing.B) {
	const c, chunk, n = 16, 32 * 32 * 16, 128 * 32 * 32 * 16
	x, y, dy := make([]float32, n), make([]float32, n), make([]float32, n)
	for i := range x {
		x[i], dy[i] = float32(i%37)*0.1, float32(i%11)*0.01
	}
	ones := make([]float32, c)
	for j := range ones {
		ones[j] = 1
	}
	nm := Norm{Mean: make([]float32, c), InvStd: ones, Scale: ones, Shift: make([]float32, c)}
	s, q := make([]float64, c), make([]float64, c)
	passes := []struct {
		name  string
		bytes int64
		f     func(off int)
	}{
		{"moments", 4 * n, func(off int) { BNMoments(s, q, x[off:off+chunk], c) }},
		{"normalize", 8 * n, func(off int) { BNNormalize(y[off:off+chunk], x[off:off+chunk], c, nm.Scale, nm.Shift, true) }},
		{"gradsums", 8 * n, func(off int) { BNGradSums(s, q, dy[off:off+chunk], x[off:], c, nm, 0, true) }},
		{"inputgrad", 12 * n, func(off int) {
			BNInputGrad(y[off:off+chunk], dy[off:off+chunk], x[off:], c, nm, 0, ones, ones, ones, true)
		}},
	}
	for _, p := range passes {
		b.Run(p.name, func(b *testing.B) {
			b.SetBytes(p.bytes)
			for b.Loop() {
				for off := 0; off < n; off += chunk {
					p.f(off)
				}
			}
		})
	}
}
