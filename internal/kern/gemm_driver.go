package kern

import "unsafe"

// gemmBlocked is Gemm's implementation (k >= 1, m, n >= 1, alpha != 0).
func gemmBlocked(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	p := newProblem(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
	p, kn := planGemm(p, activeKernels)
	runGemm(&p, kn)
}

// gemmRect computes the block [m0,m1) x [n0,n1) of C over the full k, using
// w's buffers. m0 and n0 are multiples of mr and nr or block edges.
//
// Loops, outer to inner: n-blocks of nc columns (the B block, kc x nc, stays
// in L2), k-blocks of kc, A micro-panels of mr rows (packed or read in
// place; in L1), B panels of nr columns.
func gemmRect(p *gemmProblem, kn *gemmKernel, w *gemmWork, m0, m1, n0, n1 int) {
	if p.c.cs != 1 {
		gemmRectTransposedC(p, kn, w, m0, m1, n0, n1)
		return
	}
	mr, nr := kn.mr, kn.nr
	inPlace := kn.aInPlace(p)
	kcb, ncb := kn.blocking(p.k, inPlace)
	direct := directB(p, kn)
	w.sc.set(p.alpha, p.beta)
	for jc := n0; jc < n1; jc += ncb {
		nc := min(ncb, n1-jc)
		for pc := 0; pc < p.k; pc += kcb {
			kc := min(kcb, p.k-pc)
			flags := updateFlags(pc == 0, p.alpha, p.beta)
			for jr := 0; jr < nc; jr += nr {
				if cols := min(nr, nc-jr); !direct || cols < nr {
					kn.packB(w.bpack[jr*kc:], p.b, pc, kc, jc+jr, cols)
				}
			}
			nextK := min(kcb, p.k-pc-kc) // rows of B's next k-block, prefetched bit by bit
			// A and C rows are prefetched one step of at least 1 KiB of A
			// ahead; smaller steps would make the calls too frequent.
			pfStep := max(1, 1024/(4*mr*kc)) * mr
			for ir := m0; ir < m1; ir += mr {
				if (ir-m0)%pfStep == 0 {
					lo := ir + pfStep
					hi := min(m1, lo+pfStep)
					if p.a.cs == 1 {
						prefetchRows(p.a, lo, hi-lo, pc, kc, prefetchRange)
					}
					prefetchRows(p.c, lo, hi-lo, jc, nc, prefetchRangeW)
				}
				if direct && nextK > 0 {
					t, steps := (ir-m0)/mr, ceilDiv(m1-m0, mr)
					lo, hi := t*nextK/steps, (t+1)*nextK/steps
					prefetchRows(p.b, pc+kc+lo, hi-lo, jc, nc, prefetchRange)
				}
				a := w.panelA(p, kn, inPlace, ir, min(mr, m1-ir), pc, kc)
				for jr := 0; jr < nc; jr += nr {
					cols := min(nr, nc-jr)
					bp, bs := unsafe.Pointer(&w.bpack[jr*kc]), uintptr(nr*4)
					if direct && cols == nr {
						bp, bs = unsafe.Pointer(&p.b.s[p.b.at(pc, jc+jr)]), uintptr(p.b.rs*4)
					}
					if a.rows == mr && cols == nr {
						cp := unsafe.Pointer(&p.c.s[p.c.at(ir, jc+jr)])
						kn.micro(kc, a.p, a.rs, a.cs, bp, bs, cp, uintptr(p.c.rs*4), &w.sc, flags)
						continue
					}
					kn.micro(kc, a.p, a.rs, a.cs, bp, bs, unsafe.Pointer(&w.tile[0]), uintptr(nr*4), &w.sc, 0)
					scatterTile(w.tile, nr, a.rows, cols, p.c, ir, jc+jr, p.alpha, p.beta, flags)
				}
			}
		}
	}
}

// aPanel is one A micro-panel as the microkernel reads it.
type aPanel struct {
	p      unsafe.Pointer
	rs, cs uintptr // byte strides between rows and between k steps
	rows   int     // valid rows (<= mr); the rest are zero or duplicates
}

// panelA readies rows [i0, i0+rows) x [p0, p0+kc) of A for the
// microkernel: in place when possible, else packed into w.apack.
func (w *gemmWork) panelA(p *gemmProblem, kn *gemmKernel, inPlace bool, i0, rows, p0, kc int) aPanel {
	if inPlace && rows == kn.mr {
		return aPanel{unsafe.Pointer(&p.a.s[p.a.at(i0, p0)]), uintptr(4 * p.a.rs), 4, rows}
	}
	kn.packA(w.apack, p.a, i0, rows, p0, kc)
	return aPanel{unsafe.Pointer(&w.apack[0]), 4, uintptr(4 * kn.mr), rows}
}

// prefetchRows applies prefetch (prefetchRange or prefetchRangeW) to rows
// [i0, i0+rows) x cols [j0, j0+cols) of x, which has unit column stride.
func prefetchRows(x mat, i0, rows, j0, cols int, prefetch func(unsafe.Pointer, uintptr)) {
	if rows <= 0 {
		return
	}
	base := unsafe.Pointer(&x.s[x.at(i0, j0)])
	if x.rs == cols {
		prefetch(base, uintptr(4*rows*cols))
		return
	}
	for r := 0; r < rows; r++ {
		prefetch(unsafe.Add(base, 4*r*x.rs), uintptr(4*cols))
	}
}

// scatterTile writes the rows x cols corner of tile (row stride nr) into C at
// (i0, j0) with the same arithmetic as the microkernels' in-place update.
func scatterTile(tile []float32, nr, rows, cols int, c mat, i0, j0 int, alpha, beta float32, flags uint) {
	if c.cs == 1 && flags&^updLoad == 0 {
		for r := 0; r < rows; r++ {
			dst := c.s[c.at(i0+r, j0):][:cols]
			src := tile[r*nr:][:cols]
			if flags == 0 {
				copy(dst, src)
				continue
			}
			for j, t := range src {
				dst[j] += t
			}
		}
		return
	}
	for r := 0; r < rows; r++ {
		for j := 0; j < cols; j++ {
			t := tile[r*nr+j]
			if flags&updAlpha != 0 {
				t = float32(t * alpha)
			}
			idx := c.at(i0+r, j0+j)
			if flags&updLoad != 0 {
				old := c.s[idx]
				if flags&updBeta != 0 {
					old = float32(old * beta)
				}
				t = old + t
			}
			c.s[idx] = t
		}
	}
}
