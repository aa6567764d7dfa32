package kern

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

// convCase is one Im2col geometry.
type convCase struct{ n, h, w, c, kh, kw, stride, pad int }

func (g convCase) String() string {
	return fmt.Sprintf("n%d_%dx%dx%d_k%dx%d_s%d_p%d", g.n, g.h, g.w, g.c, g.kh, g.kw, g.stride, g.pad)
}

// convCases cover stride 1 and 2, pad 0 and 1 (and 3 for 7x7), 1x1, 3x3,
// 7x7, non-square kernels and images, c = 1 and a batch large enough to be
// split across goroutines.
var convCases = []convCase{
	{2, 5, 5, 3, 3, 3, 1, 1}, {1, 7, 6, 2, 3, 3, 2, 1}, {2, 8, 8, 4, 1, 1, 1, 0},
	{1, 8, 8, 4, 1, 1, 2, 0}, {1, 9, 7, 3, 7, 7, 2, 3}, {3, 5, 4, 1, 2, 3, 1, 0},
	{1, 4, 4, 16, 3, 3, 2, 0}, {1, 1, 1, 5, 1, 1, 1, 0}, {2, 6, 6, 2, 3, 3, 1, 0},
	{1, 3, 3, 2, 3, 3, 1, 2}, {8, 16, 16, 16, 3, 3, 1, 1},
}

func (g convCase) sizes() (xLen, colsLen, rowLen, oh, ow int) {
	oh, ow = ConvOutSize(g.h, g.kh, g.stride, g.pad), ConvOutSize(g.w, g.kw, g.stride, g.pad)
	rowLen = g.kh * g.kw * g.c
	return g.n * g.h * g.w * g.c, g.n * oh * ow * rowLen, rowLen, oh, ow
}

// forEachPatchEntry calls fn(colsIndex, xIndex) for every cols entry that
// comes from the input; padding entries have xIndex -1.
func (g convCase) forEachPatchEntry(fn func(ci, xi int)) {
	_, _, rowLen, oh, ow := g.sizes()
	for b := 0; b < g.n; b++ {
		for oy := 0; oy < oh; oy++ {
			for ox := 0; ox < ow; ox++ {
				for ky := 0; ky < g.kh; ky++ {
					for kx := 0; kx < g.kw; kx++ {
						for ch := 0; ch < g.c; ch++ {
							ci := ((b*oh+oy)*ow+ox)*rowLen + (ky*g.kw+kx)*g.c + ch
							iy, ix := oy*g.stride-g.pad+ky, ox*g.stride-g.pad+kx
							xi := -1
							if iy >= 0 && iy < g.h && ix >= 0 && ix < g.w {
								xi = ((b*g.h+iy)*g.w+ix)*g.c + ch
							}
							fn(ci, xi)
						}
					}
				}
			}
		}
	}
}

func TestConvOutSize(t *testing.T) {
	for _, c := range [][5]int{{32, 3, 1, 1, 32}, {32, 3, 2, 1, 16}, {32, 1, 2, 0, 16}, {7, 7, 2, 3, 4}, {5, 5, 1, 0, 1}} {
		if got := ConvOutSize(c[0], c[1], c[2], c[3]); got != c[4] {
			t.Errorf("ConvOutSize(%d, %d, %d, %d) = %d, want %d", c[0], c[1], c[2], c[3], got, c[4])
		}
	}
}

func TestIm2colMatchesReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, g := range convCases {
		xLen, colsLen, _, _, _ := g.sizes()
		x := randFloats(rng, xLen)
		cols := randFloats(rng, colsLen) // garbage that must be overwritten
		Im2col(x, g.n, g.h, g.w, g.c, g.kh, g.kw, g.stride, g.pad, cols)
		g.forEachPatchEntry(func(ci, xi int) {
			want := float32(0)
			if xi >= 0 {
				want = x[xi]
			}
			if cols[ci] != want {
				t.Fatalf("%v: cols[%d] = %v, want %v", g, ci, cols[ci], want)
			}
		})
	}
}

func TestCol2imMatchesReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for _, g := range convCases {
		xLen, colsLen, _, _, _ := g.sizes()
		cols := randFloats(rng, colsLen)
		dx := randFloats(rng, xLen) // Col2im accumulates onto it
		want := make([]float64, xLen)
		for i, v := range dx {
			want[i] = float64(v)
		}
		g.forEachPatchEntry(func(ci, xi int) {
			if xi >= 0 {
				want[xi] += float64(cols[ci])
			}
		})
		Col2im(cols, g.n, g.h, g.w, g.c, g.kh, g.kw, g.stride, g.pad, dx)
		for i := range dx {
			if math.Abs(float64(dx[i])-want[i]) > 1e-5*(1+math.Abs(want[i])) {
				t.Fatalf("%v: dx[%d] = %v, want %v", g, i, dx[i], want[i])
			}
		}
	}
}

// TestIm2colAdjoint checks <Im2col(x), y> == <x, Col2im(y)>.
func TestIm2colAdjoint(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	for _, g := range convCases {
		xLen, colsLen, _, _, _ := g.sizes()
		x, y := randFloats(rng, xLen), randFloats(rng, colsLen)
		cols, dx := make([]float32, colsLen), make([]float32, xLen)
		Im2col(x, g.n, g.h, g.w, g.c, g.kh, g.kw, g.stride, g.pad, cols)
		Col2im(y, g.n, g.h, g.w, g.c, g.kh, g.kw, g.stride, g.pad, dx)
		lhs, rhs, scale := 0.0, 0.0, 0.0
		for i := range cols {
			lhs += float64(cols[i]) * float64(y[i])
			scale += math.Abs(float64(cols[i]) * float64(y[i]))
		}
		for i := range x {
			rhs += float64(x[i]) * float64(dx[i])
		}
		if math.Abs(lhs-rhs) > 1e-5*scale {
			t.Errorf("%v: <Im2col x, y> = %v, <x, Col2im y> = %v", g, lhs, rhs)
		}
	}
}

func TestIm2colBadInputPanics(t *testing.T) {
	cases := []struct {
		name string
		call func()
		msg  string
	}{
		{"short x", func() { Im2col(make([]float32, 10), 1, 4, 4, 1, 3, 3, 1, 1, make([]float32, 144)) }, "kern.Im2col: input has 10 elements"},
		{"short cols", func() { Im2col(make([]float32, 16), 1, 4, 4, 1, 3, 3, 1, 1, make([]float32, 10)) }, "kern.Im2col: cols has 10 elements"},
		{"big kernel", func() { Im2col(make([]float32, 4), 1, 2, 2, 1, 5, 5, 1, 0, nil) }, "kern.Im2col: kernel 5x5 larger"},
		{"stride", func() { Col2im(nil, 1, 2, 2, 1, 1, 1, 0, 0, make([]float32, 4)) }, "kern.Col2im: bad kernel"},
	}
	for _, tc := range cases {
		func() {
			defer func() {
				if s, ok := recover().(string); !ok || !strings.HasPrefix(s, tc.msg) {
					t.Errorf("%s: panic %q, want prefix %q", tc.name, s, tc.msg)
				}
			}()
			tc.call()
		}()
	}
}

// BenchmarkIm2col reports GB/s of cols written (Im2col) or read (Col2im),
// per wall second and per second of process CPU time.
func BenchmarkIm2col(b *testing.B) {
	for _, g := range []convCase{{128, 32, 32, 16, 3, 3, 1, 1}, {128, 32, 32, 16, 3, 3, 2, 1}, {128, 8, 8, 64, 3, 3, 1, 1}} {
		xLen, colsLen, _, _, _ := g.sizes()
		x, cols := make([]float32, xLen), make([]float32, colsLen)
		report := func(b *testing.B, cpu time.Duration) {
			bytes := float64(colsLen) * 4 * float64(b.N)
			b.ReportMetric(bytes/b.Elapsed().Seconds()/1e9, "GB/s")
			if cpu > 0 {
				b.ReportMetric(bytes/cpu.Seconds()/1e9, "cpu-GB/s")
			}
		}
		b.Run("im2col_"+g.String(), func(b *testing.B) {
			cpu0 := processCPUTime()
			for b.Loop() {
				Im2col(x, g.n, g.h, g.w, g.c, g.kh, g.kw, g.stride, g.pad, cols)
			}
			report(b, processCPUTime()-cpu0)
		})
		b.Run("col2im_"+g.String(), func(b *testing.B) {
			cpu0 := processCPUTime()
			for b.Loop() {
				Col2im(cols, g.n, g.h, g.w, g.c, g.kh, g.kw, g.stride, g.pad, x)
			}
			report(b, processCPUTime()-cpu0)
		})
	}
}
