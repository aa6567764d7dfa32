package xla

import (
	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	. "github.com/gomlx/gomlx/core/graph" //nolint:revive // graph-building code reads best unqualified
)

// Conv modes (Config.Conv).
const (
	// ConvIm2col computes a convolution as zero padding by concatenation,
	// k*k strided slices, one channel concatenation and one DotGeneral. On
	// XLA the DotGeneral runs at HIGHEST precision when tf32=false, so fp32
	// means fp32. Every backend can differentiate it.
	ConvIm2col = "im2col"
	// ConvNative uses the backend's convolution (cuDNN on XLA/GPU). XLA
	// runs it at DEFAULT precision: TF32 on an H200.
	ConvNative = "native"
)

// conv2d applies a [k, k, cin, cout] kernel with stride and symmetric zero
// padding to NHWC x.
func conv2d(x, w *Node, k, stride, pad int, mode string) *Node {
	if mode == ConvNative {
		return Convolve(x, w).Strides(stride).PaddingPerDim([][2]int{{pad, pad}, {pad, pad}}).Done()
	}
	d := x.Shape().Dimensions
	n, h, wd, c := d[0], d[1], d[2], d[3]
	cout := w.Shape().Dimensions[3]
	oh, ow := (h+2*pad-k)/stride+1, (wd+2*pad-k)/stride+1
	if pad > 0 {
		x = padHW(x, pad)
	}
	cols := make([]*Node, 0, k*k)
	for dy := range k {
		for dx := range k {
			cols = append(cols, Slice(x, AxisRange(),
				strided(dy, oh, stride), strided(dx, ow, stride), AxisRange()))
		}
	}
	patches := cols[0]
	if len(cols) > 1 {
		patches = Concatenate(cols, 3)
	}
	y := DotGeneral(Reshape(patches, n*oh*ow, k*k*c), []int{1}, nil, Reshape(w, k*k*c, cout), []int{0}, nil)
	return Reshape(y, n, oh, ow, cout)
}

// strided selects count positions start, start+s, ... of one axis.
func strided(start, count, s int) SliceAxisSpec {
	r := AxisRange(start, start+s*(count-1)+1)
	if s > 1 {
		r = r.Stride(s)
	}
	return r
}

// padHW zero-pads the H and W axes of NHWC x by p on each side. It
// concatenates zeros rather than using Pad, which has no gradient.
func padHW(x *Node, p int) *Node {
	g := x.Graph()
	d := x.Shape().Dimensions
	n, h, w, c := d[0], d[1], d[2], d[3]
	zh := Zeros(g, shapes.Make(x.DType(), n, p, w, c))
	x = Concatenate([]*Node{zh, x, zh}, 1)
	zw := Zeros(g, shapes.Make(x.DType(), n, h+2*p, p, c))
	return Concatenate([]*Node{zw, x, zw}, 2)
}

// linear computes x W (+ b) with x flattened to [N, in].
func linear(x, w, b *Node) *Node {
	wd := w.Shape().Dimensions
	x = Reshape(x, x.Shape().Dimensions[0], wd[0])
	y := DotGeneral(x, []int{1}, nil, w, []int{0}, nil)
	if b != nil {
		y = Add(y, Reshape(b, 1, wd[1]))
	}
	return y
}

// pool2d is a k x k pooling with stride k over NHWC x, dropping the rows
// and columns that do not fill a window (PyTorch floor mode). Written as
// reshape + reduce so the pure-Go backend can differentiate max pooling.
func pool2d(x *Node, k int, isMax bool) *Node {
	d := x.Shape().Dimensions
	n, h, w, c := d[0], d[1], d[2], d[3]
	oh, ow := h/k, w/k
	if oh*k != h || ow*k != w {
		x = Slice(x, AxisRange(), AxisRange(0, oh*k), AxisRange(0, ow*k), AxisRange())
	}
	x = Reshape(x, n, oh, k, ow, k, c)
	if isMax {
		return ReduceMax(x, 2, 4)
	}
	return ReduceMean(x, 2, 4)
}

// bnResult is a batch-norm output and, in batch-statistics mode, the
// batch mean and biased variance per channel.
type bnResult struct {
	y, mean, variance *Node
}

// batchNorm normalises over every axis but the last, with the batch's
// statistics (gradient through them) or with the given running
// statistics (useRunning). gamma and beta may be nil (non-affine).
// Division by Sqrt instead of Rsqrt: Rsqrt has no gradient in GoMLX.
func batchNorm(x, gamma, beta, runMean, runVar *Node, useRunning bool, eps float64) bnResult {
	rank := x.Rank()
	c := x.Shape().Dimensions[rank-1]
	axes := make([]int, rank-1)
	bshape := make([]int, rank)
	for i := range axes {
		axes[i] = i
		bshape[i] = 1
	}
	bshape[rank-1] = c
	var r bnResult
	var xc, variance *Node
	if useRunning {
		xc = Sub(x, Reshape(runMean, bshape...))
		variance = Reshape(runVar, bshape...)
	} else {
		mean := ReduceAndKeep(x, ReduceMean, axes...)
		xc = Sub(x, mean)
		variance = ReduceAndKeep(Square(xc), ReduceMean, axes...)
		r.mean, r.variance = Reshape(mean, c), Reshape(variance, c)
	}
	y := Div(xc, Sqrt(AddScalar(variance, eps)))
	if gamma != nil {
		y = Add(Mul(y, Reshape(gamma, bshape...)), Reshape(beta, bshape...))
	}
	r.y = y
	return r
}

// softmaxCE is the mean softmax cross-entropy of logits [N, K] against
// int32 labels [N].
func softmaxCE(logits, labels *Node) *Node {
	k := logits.Shape().Dimensions[1]
	onehot := OneHot(labels, k, dtypes.Float32)
	return Neg(ReduceAllMean(ReduceSum(Mul(onehot, LogSoftmax(logits, 1)), 1)))
}
