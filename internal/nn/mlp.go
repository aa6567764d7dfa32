package nn

// MLP is the GPT feed-forward block: c_fc (Dim -> 4 Dim, no bias), exact
// GELU, c_proj (4 Dim -> Dim, no bias).
type MLP struct {
	fc, proj *lmLinear
	act      GELU
}

// NewMLP allocates the block's weights named fc ([dim, 4 dim], c_fc) and
// proj ([4 dim, dim], c_proj), uninitialised.
func NewMLP(fc, proj string, dim int) *MLP {
	return &MLP{fc: newLMLinear(fc, dim, 4*dim), proj: newLMLinear(proj, 4*dim, dim)}
}

func (m *MLP) setBF16(on bool) { m.fc.bf16, m.act.bf16, m.proj.bf16 = on, on, on }

// Forward computes c_proj(GELU(c_fc(x))).
func (m *MLP) Forward(x *Tensor, mode Mode) *Tensor {
	return m.proj.Forward(m.act.Forward(m.fc.Forward(x, mode), mode), mode)
}

// Backward accumulates both weight gradients and returns dL/dx.
func (m *MLP) Backward(dy *Tensor) *Tensor {
	return m.fc.Backward(m.act.Backward(m.proj.Backward(dy)))
}

// Params returns c_fc then c_proj.
func (m *MLP) Params() []*Param { return []*Param{m.fc.W, m.proj.W} }
