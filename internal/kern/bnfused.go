package kern

// Batch norm over a narrow channel block (oneDNN's nChw8c / nChw16c: rows
// of c = 8 or 16 channels), fused with the ReLU that follows and without
// storing xhat: the backward pass recomputes it from x with the forward's
// float32 operations. Results equal, bit for bit, those of BNForwardRows,
// ReLU, ReLUGrad, per-channel float64 sums and BNBackwardRows applied one
// after another.

// BNMoments adds to sum[j] and sumSq[j] the float64 sums over the rows of
// channel j and of its square, for the c channels of the [rows, c] matrix
// x (each channel summed in row order from zero, then added): the batch
// mean and variance in one pass, var = E[x^2] - mean^2, whose float64
// cancellation costs nothing at float32 precision unless |mean| exceeds
// about 1e4 standard deviations.
func BNMoments(sum, sumSq []float64, x []float32, c int) {
	bnMoments(sum[:c], sumSq[:c], x, c)
}

// BNNormalize sets out = x*scale + shift per channel of the [rows, c]
// matrix x, then max(out, 0) when relu is set.
func BNNormalize(out, x []float32, c int, scale, shift []float32, relu bool) {
	bnNormalize(out[:len(x)], x, c, scale[:c], shift[:c], relu)
}

// Norm is one batch norm's per-channel float32 vectors: the batch mean
// and 1/std that give xhat = (x - Mean)*InvStd, and the affine map
// x*Scale + Shift of the forward output. The backward kernels recompute
// xhat and, for the ReLU mask, the forward output from x with the
// forward's own operations, so they read neither back from memory.
type Norm struct {
	Mean, InvStd, Scale, Shift []float32
}

// at returns the vectors from channel c0 on.
func (n Norm) at(c0, c int) Norm {
	return Norm{n.Mean[c0 : c0+c], n.InvStd[c0 : c0+c], n.Scale[c0 : c0+c], n.Shift[c0 : c0+c]}
}

// BNGradSums adds to sum[j] and prod[j] the float64 sums over the rows of
// g and g*xhat for the c channels c0... of the [rows, c] matrices, where g
// is dy masked by a positive forward output when relu is set (else dy).
func BNGradSums(sum, prod []float64, dy, x []float32, c int, nm Norm, c0 int, relu bool) {
	bnGradSums(sum[:c], prod[:c], dy, x[:len(dy)], c, nm.at(c0, c), relu)
}

// BNInputGrad sets dx = k*(g - mdy - xhat*mdx) with g and xhat as in
// BNGradSums; dx may be dy itself.
func BNInputGrad(dx, dy, x []float32, c int, nm Norm, c0 int, k, mdy, mdx []float32, relu bool) {
	n := len(dy)
	bnInputGrad(dx[:n], dy, x[:n], c, nm.at(c0, c), k[:c], mdy[:c], mdx[:c], relu)
}

// maskedGrad is dy where the forward output x*scale + shift is positive
// (with relu), else dy itself.
func maskedGrad(dy, x, scale, shift float32, relu bool) float32 {
	if relu && !(x*scale+shift > 0) {
		return 0
	}
	return dy
}

func bnMomentsScalar(sum, sumSq []float64, x []float32, c int) {
	for j := 0; j < c; j++ {
		s, q := 0.0, 0.0
		for off := j; off < len(x); off += c {
			v := float64(x[off])
			s += v
			q += v * v
		}
		sum[j] += s
		sumSq[j] += q
	}
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

func bnGradSumsScalar(sum, prod []float64, dy, x []float32, c int, nm Norm, relu bool) {
	for j := 0; j < c; j++ {
		s, p := 0.0, 0.0
		for off := j; off < len(dy); off += c {
			g := float64(maskedGrad(dy[off], x[off], nm.Scale[j], nm.Shift[j], relu))
			s += g
			p += g * float64((x[off]-nm.Mean[j])*nm.InvStd[j])
		}
		sum[j] += s
		prod[j] += p
	}
}

func bnInputGradScalar(dx, dy, x []float32, c int, nm Norm, k, mdy, mdx []float32, relu bool) {
	for off := 0; off+c <= len(dy); off += c {
		for j := 0; j < c; j++ {
			v := x[off+j]
			h := (v - nm.Mean[j]) * nm.InvStd[j]
			dx[off+j] = k[j] * (maskedGrad(dy[off+j], v, nm.Scale[j], nm.Shift[j], relu) - mdy[j] - h*mdx[j])
		}
	}
}
