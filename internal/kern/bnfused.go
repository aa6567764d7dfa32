package kern

// Batch norm over a narrow channel block (oneDNN's nChw8c / nChw16c: rows
// of c = 8 or 16 channels), fused with the ReLU that follows and without
// storing xhat: the backward pass recomputes it from x with the forward's
// float32 operations. Results equal, bit for bit, those of BNForwardRows,
// ReLU, ReLUGrad, per-channel float64 sums and BNBackwardRows applied one
// after another.

// BNNormalize sets out = x*scale + shift per channel of the [rows, c]
// matrix x, then max(out, 0) when relu is set.
func BNNormalize(out, x []float32, c int, scale, shift []float32, relu bool) {
	bnNormalize(out[:len(x)], x, c, scale[:c], shift[:c], relu)
}

// BNGradSums adds to sum[j] and prod[j] the float64 sums over the rows of
// g and g*xhat, where g is dy masked by out > 0 when relu is set (else
// dy) and xhat = (x - mean)*invStd, for the c channels of the [rows, c]
// matrices.
func BNGradSums(sum, prod []float64, dy, out, x []float32, c int, mean, invStd []float32, relu bool) {
	n := len(dy)
	bnGradSums(sum[:c], prod[:c], dy, out[:n], x[:n], c, mean[:c], invStd[:c], relu)
}

// BNInputGrad sets dx = k*(g - mdy - xhat*mdx) with g and xhat as in
// BNGradSums.
func BNInputGrad(dx, dy, out, x []float32, c int, mean, invStd, k, mdy, mdx []float32, relu bool) {
	n := len(dy)
	bnInputGrad(dx[:n], dy, out[:n], x[:n], c, mean[:c], invStd[:c], k[:c], mdy[:c], mdx[:c], relu)
}

// maskedGrad is dy where out > 0 (with relu), else dy itself.
func maskedGrad(dy, out float32, relu bool) float32 {
	if relu && !(out > 0) {
		return 0
	}
	return dy
}

func bnNormalizeScalar(out, x []float32, c int, scale, shift []float32, relu bool) {
	for off := 0; off+c <= len(x); off += c {
		for j := 0; j < c; j++ {
			v := x[off+j]*scale[j] + shift[j]
			if relu && !(v > 0 || v != v) {
				v = 0
			}
			out[off+j] = v
		}
	}
}

func bnGradSumsScalar(sum, prod []float64, dy, out, x []float32, c int, mean, invStd []float32, relu bool) {
	for j := 0; j < c; j++ {
		s, p := 0.0, 0.0
		for off := j; off < len(dy); off += c {
			g := float64(maskedGrad(dy[off], out[off], relu))
			s += g
			p += g * float64((x[off]-mean[j])*invStd[j])
		}
		sum[j] += s
		prod[j] += p
	}
}

func bnInputGradScalar(dx, dy, out, x []float32, c int, mean, invStd, k, mdy, mdx []float32, relu bool) {
	for off := 0; off+c <= len(dy); off += c {
		for j := 0; j < c; j++ {
			h := (x[off+j] - mean[j]) * invStd[j]
			dx[off+j] = k[j] * (maskedGrad(dy[off+j], out[off+j], relu) - mdy[j] - h*mdx[j])
		}
	}
}
