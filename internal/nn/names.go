package nn

import "fmt"

// OpName is the name of op, the i-th op of a sequence under prefix: the
// op's Name, or its index when it has none, after "prefix." when prefix is
// not empty. Parameters are named after their op (OpName + ".weight", ...),
// so both executors name a Desc's parameters through this one rule.
func OpName(prefix string, i int, op OpDesc) string {
	name := op.Name
	if name == "" {
		name = fmt.Sprint(i)
	}
	if prefix != "" {
		name = prefix + "." + name
	}
	return name
}

// GPTNames are the parameter names of a GPT, nanoGPT's
// ("transformer.h.0.attn.c_attn.weight", ...). NewGPT names its parameters
// with them and the GoMLX executor finds its graph inputs by them.
type GPTNames struct {
	Wte, Wpe, LNF string
	Blocks        []GPTBlockNames
}

// GPTBlockNames are the parameter names of one transformer block.
type GPTBlockNames struct {
	LN1, Attn, AttnProj, LN2, FC, MLPProj string
}

// NewGPTNames returns the parameter names of a GPT with the given number of
// layers.
func NewGPTNames(layers int) GPTNames {
	n := GPTNames{Wte: "transformer.wte.weight", Wpe: "transformer.wpe.weight", LNF: "transformer.ln_f.weight"}
	for i := range layers {
		p := fmt.Sprintf("transformer.h.%d.", i)
		n.Blocks = append(n.Blocks, GPTBlockNames{
			LN1: p + "ln_1.weight", Attn: p + "attn.c_attn.weight", AttnProj: p + "attn.c_proj.weight",
			LN2: p + "ln_2.weight", FC: p + "mlp.c_fc.weight", MLPProj: p + "mlp.c_proj.weight",
		})
	}
	return n
}
