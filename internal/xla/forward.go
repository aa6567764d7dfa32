package xla

import (
	"fmt"

	. "github.com/gomlx/gomlx/core/graph" //nolint:revive // graph-building code reads best unqualified
	"wdlab/internal/nn"
)

// net builds the graph of one nn.Desc forward pass. Parameter nodes are
// looked up by the native engine's names (nn.Build's naming: ops named by
// Name or index, joined with dots, residual parts under the block's name).
type net struct {
	conv  string           // ConvIm2col or ConvNative
	vals  map[string]*Node // parameter and buffer values by name
	stats bool             // BN uses batch statistics (train / recalibrate)
	// bnMomentum is the running-statistic momentum (a scalar node); the
	// updated running statistics are collected in newStats by name.
	bnMomentum *Node
	newStats   map[string]*Node
}

// forward returns the logits for x, whose shape is [N, desc.Input...].
func (b *net) forward(d nn.Desc, x *Node) *Node {
	return b.seq(d.Ops, "", x)
}

// seq applies ops in order under the name prefix.
func (b *net) seq(ops []nn.OpDesc, prefix string, x *Node) *Node {
	for i, op := range ops {
		x = b.op(op, nn.OpName(prefix, i, op), x)
	}
	return x
}

// param returns the value of a named parameter; missing ones are a bug in
// the description/parameter pairing, which New has already ruled out.
func (b *net) param(name string) *Node {
	v, ok := b.vals[name]
	if !ok {
		panic(fmt.Errorf("xla: graph needs parameter %q, which is not among the executor's parameters", name))
	}
	return v
}

// optional returns the named parameter or nil when the op has none.
func (b *net) optional(name string, present bool) *Node {
	if !present {
		return nil
	}
	return b.param(name)
}

func (b *net) op(op nn.OpDesc, name string, x *Node) *Node {
	switch op.Kind {
	case nn.OpConv:
		y := conv2d(x, b.param(name+".weight"), op.Kernel, max(op.Stride, 1), op.Pad, b.conv)
		if op.Bias {
			y = Add(y, Reshape(b.param(name+".bias"), 1, 1, 1, op.Out))
		}
		return y
	case nn.OpBN:
		return b.batchNorm(op, name, x)
	case nn.OpReLU:
		return MaxScalar(x, 0)
	case nn.OpLinear:
		return linear(x, b.param(name+".weight"), b.optional(name+".bias", op.Bias))
	case nn.OpAvgPool, nn.OpMaxPool:
		return pool2d(x, op.Kernel, op.Kind == nn.OpMaxPool)
	case nn.OpGAP:
		return ReduceMean(x, 1, 2)
	case nn.OpFlatten:
		d := x.Shape().Dimensions
		return Reshape(x, d[0], x.Shape().Size()/d[0])
	case nn.OpNormalize:
		shape := make([]int, x.Rank())
		for i := range shape {
			shape[i] = 1
		}
		shape[len(shape)-1] = len(op.Mean)
		mean, std := Reshape(Const(x.Graph(), op.Mean), shape...), Reshape(Const(x.Graph(), op.Std), shape...)
		return Div(Sub(x, ConvertDType(mean, x.DType())), ConvertDType(std, x.DType()))
	case nn.OpResidual:
		a := b.seq(op.Pre, name, x)
		skip := x
		if len(op.Shortcut) > 0 {
			skip = b.seq(op.Shortcut, name, a)
		}
		return Add(b.seq(op.Body, name, a), skip)
	}
	panic(fmt.Errorf("xla: %s: unknown op kind %q", name, op.Kind))
}

// batchNorm applies BN and, with batch statistics, records the updated
// running statistics (PyTorch: unbiased variance in the running estimate).
func (b *net) batchNorm(op nn.OpDesc, name string, x *Node) *Node {
	rm, rv := b.param(name+".running_mean"), b.param(name+".running_var")
	r := batchNorm(x, b.optional(name+".weight", op.Affine), b.optional(name+".bias", op.Affine), rm, rv, !b.stats, 1e-5)
	if b.stats {
		rows := x.Shape().Size() / x.Shape().Dimensions[x.Rank()-1]
		unbias := 1.0
		if rows > 1 {
			unbias = float64(rows) / float64(rows-1)
		}
		m := b.bnMomentum
		keep := OneMinus(m)
		b.newStats[name+".running_mean"] = Add(Mul(keep, rm), Mul(m, StopGradient(r.mean)))
		b.newStats[name+".running_var"] = Add(Mul(keep, rv), Mul(m, MulScalar(StopGradient(r.variance), unbias)))
	}
	return r.y
}
