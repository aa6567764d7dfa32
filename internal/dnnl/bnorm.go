//go:build cgo && linux && amd64 && dnnl

package dnnl

import (
	"fmt"

	"wdlab/internal/kern"
	"wdlab/internal/nn"
)

// bn compiles batch norm on x with batch statistics (training), the ReLU
// that follows it fused when relu is set. It runs in Go on oneDNN's
// buffers with the native layer's precision: statistics and gradient sums
// in float64 (oneDNN's own batch norm sums in float32, which left the
// shift gradient, a sum whose terms nearly cancel, 1e-3 off at batch
// 128), the normalisation and input gradient in the native layer's
// float32 operations. Running statistics are folded into l's buffers
// after every forward pass.
//
// The output's gradient buffer is the input's: the backward pass turns
// dy into dx in place, which saves a stream of writes to memory. That
// holds because y's gradient is written only by y's consumer before this
// backward runs and x's gradient is written first by it (residual joins
// add into it afterwards).
func (b builder) bn(l *nn.BatchNorm, x *tensor, relu bool) (*tensor, []op, error) {
	v, x, pre, err := b.laneView(x)
	if err != nil {
		return nil, nil, err
	}
	y := &tensor{dims: x.dims, grad: x.grad}
	if y.mem, err = b.alloc(x.mem.desc); err != nil {
		return nil, nil, err
	}
	k := &bnKernel{l: l, v: v, relu: relu}
	nt := b.net
	b.kernels[fmt.Sprintf("bn: wdlab float64 sums -> %s", v.name)]++
	return y, append(pre, op{
		fwd: func() error {
			if err := b.c.wait(); err != nil {
				return err
			}
			k.forward(x.mem.floats(), y.mem.floats(), nt.mode)
			return nil
		},
		bwd: func() error {
			if err := b.c.wait(); err != nil {
				return err
			}
			k.backward(x.grad.floats(), x.mem.floats(), !x.input) // the net input needs no gradient
			return nil
		},
	}), nil
}

// bnKernel is one batch norm's Go implementation on a lanes layout. It
// keeps the batch's per-channel vectors (padded to cb*blk channels) for
// the backward pass, which recomputes xhat and the ReLU mask from x.
//
// It runs on the executor's worker thread alone. Spread over goroutines,
// or over the OpenMP team through cgo callbacks, batch norm itself got
// faster but oneDNN's convolutions after it slowed by up to 35%, and a
// width-16 ResNet step on two threads lost 10% (825 against 741 images/s,
// seven interleaved pairs; the tiny model 6160 against 5420).
type bnKernel struct {
	l    *nn.BatchNorm
	v    lanes
	relu bool
	nm   kern.Norm
}

// sums adds f's float64 contributions over every chunk of the data into
// two vectors of cb*blk lanes; f gets them, the chunk's offset and its
// first channel.
func (k *bnKernel) sums(total int, f func(acc [2][]float64, off, c0 int)) [2][]float64 {
	v := k.v
	acc := [2][]float64{make([]float64, v.cb*v.blk), make([]float64, v.cb*v.blk)}
	for i := range total {
		f(acc, i*v.rows*v.blk, (i%v.cb)*v.blk)
	}
	return acc
}

// forward writes y = BN(x) (then ReLU). In Train and Recalibrate mode it
// normalises with the batch statistics and folds them into the running
// ones (as nn.BatchNorm does in that mode), in Eval mode with the running
// statistics.
func (k *bnKernel) forward(x, y []float32, mode nn.Mode) {
	v, l := k.v, k.l
	size := v.rows * v.blk
	total := len(x) / size
	pad := v.cb * v.blk
	var mean, variance []float64
	if mode == nn.Eval {
		mean, variance = l.RunningStats()
	} else {
		mom := k.sums(total, func(acc [2][]float64, off, c0 int) {
			kern.BNMoments(acc[0][c0:], acc[1][c0:], x[off:off+size], v.blk)
		})
		m := float64(total/v.cb) * float64(v.rows) // values per channel
		mean, variance = mom[0][:v.c], mom[1][:v.c]
		for j := range mean {
			mean[j] /= m
			variance[j] = max(variance[j]/m-mean[j]*mean[j], 0)
		}
		l.FoldStats(mean, variance, int(m), total/v.cb, mode)
	}
	nm := l.Norm(mean, variance, pad)
	k.nm = nm
	for i := range total {
		off, c0 := i*size, (i%v.cb)*v.blk
		kern.BNNormalize(y[off:off+size], x[off:off+size], v.blk, nm.Scale[c0:], nm.Shift[c0:], k.relu)
	}
}

// backward accumulates the gamma and beta gradients from dy (masked by
// the fused ReLU) and x and, with needDx, overwrites dy with dx.
func (k *bnKernel) backward(dy, x []float32, needDx bool) {
	v, l := k.v, k.l
	size := v.rows * v.blk
	total := len(dy) / size
	pad := v.cb * v.blk
	sums := k.sums(total, func(acc [2][]float64, off, c0 int) {
		kern.BNGradSums(acc[0][c0:], acc[1][c0:], dy[off:off+size], x[off:], v.blk, k.nm, c0, k.relu)
	})
	sumDy, sumDyXhat := sums[0], sums[1]
	m := float64(total/v.cb) * float64(v.rows)
	kk, mdy, mdx := make([]float32, pad), make([]float32, pad), make([]float32, pad)
	for j := 0; j < v.c; j++ {
		g := float32(1)
		if l.Gamma != nil {
			g = l.Gamma.W[j]
			l.Gamma.G[j] += float32(sumDyXhat[j])
			l.Beta.G[j] += float32(sumDy[j])
		}
		kk[j] = g * k.nm.InvStd[j]
		mdy[j] = float32(sumDy[j] / m)
		mdx[j] = float32(sumDyXhat[j] / m)
	}
	if !needDx {
		return
	}
	for i := range total {
		off, c0 := i*size, (i%v.cb)*v.blk
		kern.BNInputGrad(dy[off:off+size], dy[off:off+size], x[off:], v.blk, k.nm, c0, kk[c0:], mdy[c0:], mdx[c0:], k.relu)
	}
}
