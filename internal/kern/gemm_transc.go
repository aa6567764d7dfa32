package kern

// maxScratch bounds gemmRectTransposedC's buffer (floats).
const maxScratch = 1 << 20

// gemmRectTransposedC handles a C stored transposed (unit row stride), as
// after an orientation swap. Writing such a C tile by tile for every k-block
// would be a slow scalar scatter, so the block is accumulated in a
// row-major scratch buffer (in row chunks that bound its size) and added to
// C once: C = beta*C + alpha*sum.
func gemmRectTransposedC(p *gemmProblem, kn *gemmKernel, w *gemmWork, m0, m1, n0, n1 int) {
	ld := n1 - n0
	chunk := max(kn.mr, maxScratch/ld/kn.mr*kn.mr)
	if cap(w.scratch) < min(chunk, m1-m0)*ld {
		w.scratch = make([]float32, min(chunk, m1-m0)*ld)
	}
	for i0 := m0; i0 < m1; i0 += chunk {
		i1 := min(m1, i0+chunk)
		buf := w.scratch[:(i1-i0)*ld]
		q := *p
		q.alpha, q.beta = 1, 0
		q.c = mat{buf, -i0*ld - n0, ld, 1}
		gemmRect(&q, kn, w, i0, i1, n0, n1)
		for j := n0; j < n1; j++ {
			src := j - n0
			idx := p.c.at(i0, j)
			for i := i0; i < i1; i++ {
				t := buf[src]
				if p.alpha != 1 {
					t = float32(t * p.alpha)
				}
				switch p.beta {
				case 0:
				case 1:
					t = p.c.s[idx] + t
				default:
					t = float32(p.c.s[idx]*p.beta) + t
				}
				p.c.s[idx] = t
				src += ld
				idx += p.c.rs
			}
		}
	}
}
