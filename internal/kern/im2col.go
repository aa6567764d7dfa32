package kern

// ConvOutSize is the output length of a convolution: (in+2*pad-k)/stride+1.
func ConvOutSize(in, k, stride, pad int) int { return (in+2*pad-k)/stride + 1 }

// Im2col unfolds NHWC input x [n,h,w,c] into cols [n*oh*ow, kh*kw*c] with
// column order (ky, kx, c); out-of-image taps are zero.
func Im2col(x []float32, n, h, w, c, kh, kw, stride, pad int, cols []float32) {
	oh, ow := ConvOutSize(h, kh, stride, pad), ConvOutSize(w, kw, stride, pad)
	row := kh * kw * c
	for b := 0; b < n; b++ {
		for oy := 0; oy < oh; oy++ {
			for ox := 0; ox < ow; ox++ {
				dst := cols[((b*oh+oy)*ow+ox)*row:]
				for ky := 0; ky < kh; ky++ {
					iy := oy*stride + ky - pad
					for kx := 0; kx < kw; kx++ {
						ix := ox*stride + kx - pad
						d := dst[(ky*kw+kx)*c : (ky*kw+kx+1)*c]
						if iy < 0 || iy >= h || ix < 0 || ix >= w {
							clear(d)
							continue
						}
						copy(d, x[((b*h+iy)*w+ix)*c:])
					}
				}
			}
		}
	}
}

// Col2im is the adjoint of Im2col: it adds each column entry back into dx
// [n,h,w,c] (the caller zeroes dx first).
func Col2im(cols []float32, n, h, w, c, kh, kw, stride, pad int, dx []float32) {
	oh, ow := ConvOutSize(h, kh, stride, pad), ConvOutSize(w, kw, stride, pad)
	row := kh * kw * c
	for b := 0; b < n; b++ {
		for oy := 0; oy < oh; oy++ {
			for ox := 0; ox < ow; ox++ {
				src := cols[((b*oh+oy)*ow+ox)*row:]
				for ky := 0; ky < kh; ky++ {
					iy := oy*stride + ky - pad
					if iy < 0 || iy >= h {
						continue
					}
					for kx := 0; kx < kw; kx++ {
						ix := ox*stride + kx - pad
						if ix < 0 || ix >= w {
							continue
						}
						d := dx[((b*h+iy)*w+ix)*c : ((b*h+iy)*w+ix+1)*c]
						for j, v := range src[(ky*kw+kx)*c : (ky*kw+kx+1)*c] {
							d[j] += v
						}
					}
				}
			}
		}
	}
}
