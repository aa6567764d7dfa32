package xla

import (
	"fmt"
	"math"

	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	. "github.com/gomlx/gomlx/core/graph" //nolint:revive // graph-building code reads best unqualified
	"wdlab/internal/nn"
)

// gptNet builds the graph of nn.GPT's forward pass with the native
// semantics: token + position embeddings, pre-LN blocks (gain-only
// LayerNorm, eps 1e-5), causal attention scaled by 1/sqrt(head dim), exact
// GELU, a final LayerNorm and the LM head tied to wte. With bf16 on, every
// matmul takes bf16 operands and its output, the attention probabilities
// and the GELU output are rounded to bf16 (fp32 master weights, fp32
// LayerNorm, softmax, residual stream and loss), as nn.GPT.BF16 emulates;
// the gradients crossing those casts are rounded the same way.
type gptNet struct {
	cfg  nn.GPTConfig
	bf16 bool
	vals map[string]*Node
}

// param returns the named weight.
func (g *gptNet) param(name string) *Node {
	v, ok := g.vals[name]
	if !ok {
		panic(fmt.Errorf("xla: GPT graph needs parameter %q, which is not among the executor's parameters", name))
	}
	return v
}

// logits returns the logits [B*T, Vocab] of int32 token ids [B, T].
func (g *gptNet) logits(ids *Node) *Node {
	d := ids.Shape().Dimensions
	b, t, dim := d[0], d[1], g.cfg.Dim
	names := nn.NewGPTNames(g.cfg.Layers)
	wte := g.param(names.Wte)
	tok := Gather(wte, Reshape(ids, b*t, 1))
	pos := Slice(g.param(names.Wpe), AxisRange(0, t), AxisRange())
	x := Reshape(Add(Reshape(tok, b, t, dim), Reshape(pos, 1, t, dim)), b*t, dim)
	for _, n := range names.Blocks {
		x = Add(x, g.attention(g.layerNorm(x, n.LN1), n, b, t))
		h := g.gelu(g.matmul(g.layerNorm(x, n.LN2), g.param(n.FC)))
		x = Add(x, g.matmul(h, g.param(n.MLPProj)))
	}
	x = g.layerNorm(x, names.LNF)
	return g.cast(DotGeneral(g.cast(x, true), []int{1}, nil, g.cast(wte, true), []int{1}, nil), false)
}

// layerNorm normalises the rows of x [N, Dim] (biased variance, eps 1e-5)
// and multiplies by the named gain.
func (g *gptNet) layerNorm(x *Node, gain string) *Node {
	xc := Sub(x, ReduceAndKeep(x, ReduceMean, 1))
	v := ReduceAndKeep(Square(xc), ReduceMean, 1)
	return Mul(Div(xc, Sqrt(AddScalar(v, 1e-5))), Reshape(g.param(gain), 1, g.cfg.Dim))
}

// attention is multi-head causal self-attention of x [B*T, Dim]: c_attn
// gives [q k v] per row (heads contiguous inside each), then
// softmax(q k^T / sqrt(hd)) v per head and c_proj; n names the weights.
func (g *gptNet) attention(x *Node, n nn.GPTBlockNames, b, t int) *Node {
	h, dim := g.cfg.Heads, g.cfg.Dim
	hd := dim / h
	qkv := Reshape(g.matmul(x, g.param(n.Attn)), b, t, 3, h, hd)
	part := func(i int) *Node { // [B, H, T, hd]
		return TransposeAllDims(Reshape(Slice(qkv, AxisRange(), AxisRange(), AxisElem(i)), b, t, h, hd), 0, 2, 1, 3)
	}
	q, k, v := part(0), part(1), part(2)
	s := MulScalar(g.cast(DotGeneral(g.cast(q, true), []int{3}, []int{0, 1}, g.cast(k, true), []int{3}, []int{0, 1}), false), 1/math.Sqrt(float64(hd)))
	gr := x.Graph()
	causal := GreaterOrEqual(Iota(gr, shapes.Make(dtypes.Int32, t, t), 0), Iota(gr, shapes.Make(dtypes.Int32, t, t), 1))
	s = Where(BroadcastToDims(Reshape(causal, 1, 1, t, t), b, h, t, t), s, BroadcastToDims(Scalar(gr, s.DType(), -1e30), b, h, t, t))
	p := Softmax(s, 3)
	y := g.cast(DotGeneral(g.cast(p, true), []int{3}, []int{0, 1}, g.cast(v, true), []int{2}, []int{0, 1}), false) // [B, H, T, hd]
	y = Reshape(TransposeAllDims(y, 0, 2, 1, 3), b*t, dim)
	return g.matmul(y, g.param(n.AttnProj))
}

// gelu is the exact GELU x (1 + erf(x / sqrt 2)) / 2, rounded to bf16 in
// bf16 mode.
func (g *gptNet) gelu(x *Node) *Node {
	y := Mul(MulScalar(x, 0.5), OnePlus(Erf(MulScalar(x, 1/math.Sqrt2))))
	if g.bf16 {
		y = g.cast(g.cast(y, true), false)
	}
	return y
}

// matmul is x [N, in] times w [in, out].
func (g *gptNet) matmul(x, w *Node) *Node {
	return g.cast(DotGeneral(g.cast(x, true), []int{1}, nil, g.cast(w, true), []int{0}, nil), false)
}

// cast converts x to bf16 (toLow) or back to fp32 in bf16 mode; in fp32
// mode it returns x.
func (g *gptNet) cast(x *Node, toLow bool) *Node {
	if !g.bf16 {
		return x
	}
	if toLow {
		return ConvertDType(x, dtypes.BFloat16)
	}
	return ConvertDType(x, dtypes.Float32)
}

// lmLoss is the mean token cross-entropy of logits [N, V] against int32
// targets [B, T] and the number of tokens whose arg-max is wrong.
func lmLoss(logits, targets *Node) (loss, wrong *Node) {
	n, v := logits.Shape().Dimensions[0], logits.Shape().Dimensions[1]
	tg := Reshape(targets, n)
	onehot := OneHot(tg, v, dtypes.Float32)
	loss = Neg(ReduceAllMean(ReduceSum(Mul(onehot, LogSoftmax(logits, 1)), 1)))
	miss := NotEqual(ConvertDType(ArgMax(StopGradient(logits), 1), dtypes.Int32), tg)
	return loss, ReduceAllSum(ConvertDType(miss, dtypes.Float32))
}
