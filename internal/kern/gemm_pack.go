package kern

// Portable packing routines (any mr, nr). The SIMD kernels use faster
// versions for the common layouts and fall back to these.

// packAGeneric is gemmKernel.packA for any layout: dst[p*mr+r].
func packAGeneric(dst []float32, a mat, mr, i0, rows, p0, kc int) {
	dst = dst[:mr*kc]
	for r := 0; r < mr; r++ {
		if r >= rows {
			for p := 0; p < kc; p++ {
				dst[p*mr+r] = 0
			}
			continue
		}
		idx := a.at(i0+r, p0)
		for p := 0; p < kc; p++ {
			dst[p*mr+r] = a.s[idx]
			idx += a.cs
		}
	}
}

// packBGeneric is gemmKernel.packB for any layout: dst[p*nr+j], zero padded.
func packBGeneric(dst []float32, b mat, nr, p0, kc, j0, cols int) {
	dst = dst[:kc*nr]
	if b.cs == 1 {
		for p := 0; p < kc; p++ {
			idx := b.at(p0+p, j0)
			copy(dst[p*nr:p*nr+cols], b.s[idx:idx+cols])
			clear(dst[p*nr+cols : (p+1)*nr])
		}
		return
	}
	if cols < nr {
		clear(dst)
	}
	for j := 0; j < cols; j++ {
		idx := b.at(p0, j0+j)
		for p := 0; p < kc; p++ {
			dst[p*nr+j] = b.s[idx]
			idx += b.rs
		}
	}
}
