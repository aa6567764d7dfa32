package nn

// GPTBlock is one pre-LN transformer block:
// x1 = x + attn(ln_1(x)); out = x1 + mlp(ln_2(x1)).
type GPTBlock struct {
	LN1              *LayerNorm
	Attn             *CausalSelfAttention
	LN2              *LayerNorm
	MLP              *MLP
	x1, out, dx1, dx *Tensor
}

// NewGPTBlock allocates a block whose parameters have the names n.
func NewGPTBlock(n GPTBlockNames, dim, heads int) *GPTBlock {
	return &GPTBlock{
		LN1:  NewLayerNorm(n.LN1, dim),
		Attn: NewCausalSelfAttention(n.Attn, n.AttnProj, dim, heads),
		LN2:  NewLayerNorm(n.LN2, dim),
		MLP:  NewMLP(n.FC, n.MLPProj, dim),
	}
}

func (k *GPTBlock) setBF16(on bool) {
	k.Attn.setBF16(on)
	k.MLP.setBF16(on)
}

// Forward computes the block on x [B, T, Dim].
func (k *GPTBlock) Forward(x *Tensor, mode Mode) *Tensor {
	a := k.Attn.Forward(k.LN1.Forward(x, mode), mode)
	k.x1 = reuse(k.x1, x.Shape...)
	addInto(k.x1.Data, x.Data, a.Data)
	m := k.MLP.Forward(k.LN2.Forward(k.x1, mode), mode)
	k.out = reuse(k.out, x.Shape...)
	addInto(k.out.Data, k.x1.Data, m.Data)
	return k.out
}

// Backward accumulates the block's gradients and returns dL/dx.
func (k *GPTBlock) Backward(dy *Tensor) *Tensor {
	dm := k.LN2.Backward(k.MLP.Backward(dy))
	k.dx1 = reuse(k.dx1, dy.Shape...)
	addInto(k.dx1.Data, dy.Data, dm.Data)
	da := k.LN1.Backward(k.Attn.Backward(k.dx1))
	k.dx = reuse(k.dx, dy.Shape...)
	addInto(k.dx.Data, k.dx1.Data, da.Data)
	return k.dx
}

// Params returns ln_1, c_attn, c_proj, ln_2, c_fc, c_proj (nanoGPT order).
func (k *GPTBlock) Params() []*Param {
	ps := append(k.LN1.Params(), k.Attn.Params()...)
	ps = append(ps, k.LN2.Params()...)
	return append(ps, k.MLP.Params()...)
}
