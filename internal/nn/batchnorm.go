package nn

import (
	"math"

	"wdlab/internal/kern"
)

// BatchNorm normalises each channel (the last dimension) over all other
// dimensions, with PyTorch semantics: momentum 0.1, eps 1e-5, biased
// variance for normalisation and unbiased variance for the running
// estimate, gradient through the batch statistics in Train mode.
type BatchNorm struct {
	Gamma, Beta     *Param // nil when not affine
	RunMean, RunVar *Param // buffers
	C               int
	Momentum, Eps   float64
	seen            int // samples seen since ResetStats (Recalibrate mode)
	mode            Mode
	xhat, out, dx   *Tensor
	invStd          []float32
	n               int // batch size of the cached forward
}

// NewBatchNorm creates a BN layer over c channels (gamma=1, beta=0, running mean 0, var 1).
func NewBatchNorm(name string, c int, affine bool) *BatchNorm {
	b := &BatchNorm{C: c, Momentum: 0.1, Eps: 1e-5, invStd: make([]float32, c)}
	if affine {
		b.Gamma = newParam(name+".weight", c)
		for i := range b.Gamma.W {
			b.Gamma.W[i] = 1
		}
		b.Beta = newParam(name+".bias", c)
	}
	b.RunMean = newBuffer(name+".running_mean", c, 0)
	b.RunVar = newBuffer(name+".running_var", c, 1)
	return b
}

// ResetStats sets the running statistics to mean 0, var 1 and restarts the
// cumulative average used by Recalibrate mode.
func (b *BatchNorm) ResetStats() {
	clear(b.RunMean.W)
	for i := range b.RunVar.W {
		b.RunVar.W[i] = 1
	}
	b.seen = 0
}

// Forward normalises x; see Mode for the statistics used.
func (b *BatchNorm) Forward(x *Tensor, mode Mode) *Tensor {
	c := b.C
	rows := len(x.Data) / c
	b.mode, b.n = mode, x.Shape[0]
	b.out = reuse(b.out, x.Shape...)
	var mean, variance []float64
	if mode == Eval {
		mean, variance = b.RunningStats()
	} else {
		mean, variance = make([]float64, c), make([]float64, c)
		channelMeanVar(x.Data, c, mean, variance)
		b.updateRunning(mean, variance, rows)
	}
	nm := b.Norm(mean, variance, c)
	b.invStd = nm.InvStd
	b.xhat = reuse(b.xhat, x.Shape...)
	xd, od, hd := x.Data, b.out.Data, b.xhat.Data
	parFor(rows, 2048, func(lo, hi int) {
		kern.BNForwardRows(hd[lo*c:hi*c], od[lo*c:hi*c], xd[lo*c:hi*c], c, nm.Mean, nm.InvStd, nm.Scale, nm.Shift)
	})
	return b.out
}

// RunningStats returns the running mean and variance in float64, the
// statistics of Eval mode.
func (b *BatchNorm) RunningStats() (mean, variance []float64) {
	mean, variance = make([]float64, b.C), make([]float64, b.C)
	for j := range b.C {
		mean[j], variance[j] = float64(b.RunMean.W[j]), float64(b.RunVar.W[j])
	}
	return mean, variance
}

// Norm returns the float32 vectors that normalise with per-channel mean
// and biased variance (the C channels): the mean, 1/std and the affine
// map x*Scale + Shift of the output with gamma and beta folded in, each
// of length n >= C (channels past C stay zero, for padded layouts).
func (b *BatchNorm) Norm(mean, variance []float64, n int) kern.Norm {
	nm := kern.Norm{Mean: make([]float32, n), InvStd: make([]float32, n), Scale: make([]float32, n), Shift: make([]float32, n)}
	for j := range b.C {
		nm.Mean[j] = float32(mean[j])
		inv := 1 / math.Sqrt(variance[j]+b.Eps)
		nm.InvStd[j] = float32(inv)
		g, be := 1.0, 0.0
		if b.Gamma != nil {
			g, be = float64(b.Gamma.W[j]), float64(b.Beta.W[j])
		}
		nm.Scale[j] = float32(g * inv)
		nm.Shift[j] = float32(be - g*inv*mean[j])
	}
	return nm
}

// FoldStats folds a batch's per-channel mean and biased variance over rows
// values into the running statistics as Forward does in mode (Train: with
// the momentum; Recalibrate: into the average over the batches of batch
// examples since ResetStats), for executors that compute them elsewhere.
func (b *BatchNorm) FoldStats(mean, variance []float64, rows, batch int, mode Mode) {
	b.mode, b.n = mode, batch
	b.updateRunning(mean, variance, rows)
}

// updateRunning folds the batch statistics into the running estimates.
func (b *BatchNorm) updateRunning(mean, variance []float64, rows int) {
	m := b.Momentum
	if b.mode == Recalibrate {
		m = float64(b.n) / float64(b.seen+b.n)
		b.seen += b.n
	}
	unbias := 1.0
	if rows > 1 {
		unbias = float64(rows) / float64(rows-1)
	}
	for j := 0; j < b.C; j++ {
		b.RunMean.W[j] = float32((1-m)*float64(b.RunMean.W[j]) + m*mean[j])
		b.RunVar.W[j] = float32((1-m)*float64(b.RunVar.W[j]) + m*variance[j]*unbias)
	}
}

// Backward returns dx; in Train mode the gradient flows through the batch
// mean and variance, in Eval mode BN is a fixed affine map.
func (b *BatchNorm) Backward(dy *Tensor) *Tensor {
	c := b.C
	rows := len(dy.Data) / c
	sumDy := make([]float64, c)
	sumDyXhat := make([]float64, c)
	channelDots(dy.Data, b.xhat.Data, c, sumDy, sumDyXhat)
	if b.Gamma != nil {
		for j := 0; j < c; j++ {
			b.Gamma.G[j] += float32(sumDyXhat[j])
			b.Beta.G[j] += float32(sumDy[j])
		}
	}
	k := make([]float32, c) // gamma * invStd
	mdy := make([]float32, c)
	mdx := make([]float32, c)
	for j := 0; j < c; j++ {
		g := float32(1)
		if b.Gamma != nil {
			g = b.Gamma.W[j]
		}
		k[j] = g * b.invStd[j]
		if b.mode != Eval {
			mdy[j] = float32(sumDy[j] / float64(rows))
			mdx[j] = float32(sumDyXhat[j] / float64(rows))
		}
	}
	b.dx = reuse(b.dx, dy.Shape...)
	dd, hd, xd := dy.Data, b.xhat.Data, b.dx.Data
	parFor(rows, 2048, func(lo, hi int) {
		kern.BNBackwardRows(xd[lo*c:hi*c], dd[lo*c:hi*c], hd[lo*c:hi*c], c, k, mdy, mdx)
	})
	return b.dx
}

// Params returns gamma and beta (if affine) and the running statistics.
func (b *BatchNorm) Params() []*Param {
	if b.Gamma != nil {
		return []*Param{b.Gamma, b.Beta, b.RunMean, b.RunVar}
	}
	return []*Param{b.RunMean, b.RunVar}
}

// channelMeanVar computes per-channel mean and biased variance of the
// row-major [rows, c] matrix x (two passes, float64, fixed chunk order).
func channelMeanVar(x []float32, c int, mean, variance []float64) {
	rows := len(x) / c
	var part [reduceChunks][]float64
	parChunks(rows, 2048, func(ch, lo, hi int) {
		acc := make([]float64, c)
		for r := lo; r < hi; r++ {
			for j, v := range x[r*c : (r+1)*c] {
				acc[j] += float64(v)
			}
		}
		part[ch] = acc
	})
	for _, acc := range part {
		for j, v := range acc {
			mean[j] += v
		}
	}
	for j := range mean {
		mean[j] /= float64(rows)
	}
	parChunks(rows, 2048, func(ch, lo, hi int) {
		acc := make([]float64, c)
		for r := lo; r < hi; r++ {
			for j, v := range x[r*c : (r+1)*c] {
				d := float64(v) - mean[j]
				acc[j] += d * d
			}
		}
		part[ch] = acc
	})
	for _, acc := range part {
		for j, v := range acc {
			variance[j] += v
		}
	}
	for j := range variance {
		variance[j] /= float64(rows)
	}
}

// channelDots computes per-channel sums of dy and of dy*xhat.
func channelDots(dy, xhat []float32, c int, sumDy, sumDyXhat []float64) {
	rows := len(dy) / c
	var p1, p2 [reduceChunks][]float64
	parChunks(rows, 2048, func(ch, lo, hi int) {
		a, b := make([]float64, c), make([]float64, c)
		for r := lo; r < hi; r++ {
			off := r * c
			for j := 0; j < c; j++ {
				d := float64(dy[off+j])
				a[j] += d
				b[j] += d * float64(xhat[off+j])
			}
		}
		p1[ch], p2[ch] = a, b
	})
	for ch := range p1 {
		for j := 0; j < c; j++ {
			sumDy[j] += p1[ch][j]
			sumDyXhat[j] += p2[ch][j]
		}
	}
}
