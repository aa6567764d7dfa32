package nn

// Embedding is GPT-2's input layer: out[b, t] = Wte[ids[b, t]] + Wpe[t],
// with Wte [Vocab, Dim] (tied to the LM head) and learned absolute
// positions Wpe [Ctx, Dim]. It runs in fp32.
type Embedding struct {
	Wte, Wpe        *Param
	Vocab, Ctx, Dim int
	ids             []int32
	b, t            int
	out             *Tensor
}

// NewEmbedding allocates the parameters named wte and wpe (uninitialised).
func NewEmbedding(wte, wpe string, vocab, ctx, dim int) *Embedding {
	return &Embedding{Wte: newParam(wte, vocab, dim), Wpe: newParam(wpe, ctx, dim),
		Vocab: vocab, Ctx: ctx, Dim: dim}
}

// Forward embeds ids (b x t row-major, every id in [0, Vocab), t <= Ctx)
// into a [b, t, Dim] tensor.
func (e *Embedding) Forward(ids []int32, b, t int) *Tensor {
	d := e.Dim
	e.ids, e.b, e.t = ids, b, t
	e.out = reuse(e.out, b, t, d)
	parFor(b*t, 64, func(lo, hi int) {
		for r := lo; r < hi; r++ {
			te := e.Wte.W[int(ids[r])*d : (int(ids[r])+1)*d]
			pe := e.Wpe.W[(r%t)*d : (r%t+1)*d]
			o := e.out.Data[r*d : (r+1)*d]
			for i := range o {
				o[i] = te[i] + pe[i]
			}
		}
	})
	return e.out
}

// Backward scatters dy [b, t, Dim] into Wte.G (rows of the tokens seen) and
// Wpe.G (rows of the positions), accumulating.
func (e *Embedding) Backward(dy *Tensor) {
	d := e.Dim
	// Split by columns so goroutines never write the same gradient entry.
	parFor(d, 32, func(c0, c1 int) {
		for r := 0; r < e.b*e.t; r++ {
			id, pos := int(e.ids[r]), r%e.t
			g := dy.Data[r*d : (r+1)*d]
			te := e.Wte.G[id*d : (id+1)*d]
			pe := e.Wpe.G[pos*d : (pos+1)*d]
			for i := c0; i < c1; i++ {
				te[i] += g[i]
				pe[i] += g[i]
			}
		}
	})
}

// Params returns Wte then Wpe.
func (e *Embedding) Params() []*Param { return []*Param{e.Wte, e.Wpe} }
