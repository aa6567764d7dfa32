//go:build goexperiment.simd && amd64

package kern

import "testing"

// packBTransposed writes B(p0+p, j0+j) to dst[p*nr+j] for a B stored by
// columns, the 8x8 blocks and the gathered tail alike.
func TestPackBTransposed(t *testing.T) {
	const nr, kc, rows, cols = 16, 21, 40, 30 // B is rows x cols, column-major
	s := make([]float32, rows*cols)
	for i := range s {
		s[i] = float32(i)
	}
	b := mat{s: s, rs: 1, cs: rows}
	dst := make([]float32, kc*nr)
	packBTransposed(dst, b, nr, 3, kc, 5)
	for p := range kc {
		for j := range nr {
			if want := s[b.at(3+p, 5+j)]; dst[p*nr+j] != want {
				t.Fatalf("dst[%d*nr+%d] = %v, want B(%d, %d) = %v", p, j, dst[p*nr+j], 3+p, 5+j, want)
			}
		}
	}
}
