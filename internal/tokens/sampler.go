package tokens

import (
	"encoding/binary"
	"fmt"
	"math/rand/v2"
)

// Sampler picks the start offsets of the ctx+1-token windows of a batch.
// Its position can be saved and restored so a resumed run sees the same
// batches as an uninterrupted one.
type Sampler interface {
	// Next fills starts with window offsets.
	Next(starts []int) error
	// State returns the sampler's position.
	State() []byte
	// Restore sets the position saved by State.
	Restore(state []byte) error
}

// pcgStream is the fixed PCG stream constant; the seed picks the state.
const pcgStream = 0x9E3779B97F4A7C15

// Windows draws window starts uniformly from [0, n-ctx) with replacement,
// like nanoGPT's get_batch: each window of ctx+1 tokens gives ctx inputs and
// their ctx next-token targets, ignoring document boundaries.
type Windows struct {
	n, ctx int
	src    *rand.PCG
	rng    *rand.Rand
}

// NewWindows returns a random-window sampler over n tokens.
func NewWindows(n, ctx int, seed uint64) (*Windows, error) {
	if ctx < 1 || n < ctx+1 {
		return nil, fmt.Errorf("a window of %d tokens needs a corpus of at least %d tokens, have %d", ctx, ctx+1, n)
	}
	src := rand.NewPCG(seed, pcgStream)
	return &Windows{n: n, ctx: ctx, src: src, rng: rand.New(src)}, nil
}

// Next fills starts with independent uniform window offsets.
func (w *Windows) Next(starts []int) error {
	for i := range starts {
		starts[i] = w.rng.IntN(w.n - w.ctx)
	}
	return nil
}

// State returns the PCG state.
func (w *Windows) State() []byte {
	b, _ := w.src.MarshalBinary() // PCG's MarshalBinary never fails
	return b
}

// Restore sets the PCG state saved by State.
func (w *Windows) Restore(state []byte) error {
	if err := w.src.UnmarshalBinary(state); err != nil {
		return fmt.Errorf("restoring the window sampler: %w", err)
	}
	return nil
}

// OnePass visits the n/(ctx+1) non-overlapping windows of ctx+1 tokens in a
// seeded random order, so no token is ever seen twice (neither as input nor
// as target). Only whole batches are served.
type OnePass struct {
	ctx, batch int
	seed       uint64
	order      []int // window indices in visiting order
	pos        int   // next index into order
}

// NewOnePass returns a one-pass sampler over n tokens with batches of batch windows.
func NewOnePass(n, ctx, batch int, seed uint64) (*OnePass, error) {
	if ctx < 1 || batch < 1 {
		return nil, fmt.Errorf("one-pass sampler needs ctx >= 1 and batch >= 1, got ctx %d, batch %d", ctx, batch)
	}
	nw := n / (ctx + 1)
	if nw < batch {
		return nil, fmt.Errorf("a corpus of %d tokens holds %d windows of %d tokens, fewer than one batch of %d", n, nw, ctx+1, batch)
	}
	rng := rand.New(rand.NewPCG(seed, pcgStream))
	return &OnePass{ctx: ctx, batch: batch, seed: seed, order: rng.Perm(nw)}, nil
}

// Steps is the number of whole batches in one pass.
func (o *OnePass) Steps() int { return len(o.order) / o.batch }

// Capacity is the number of training tokens (batch x ctx per step) one pass provides.
func (o *OnePass) Capacity() int { return o.Steps() * o.batch * o.ctx }

// Left is the number of training tokens (batch x ctx per batch) the pass
// still provides from the sampler's position.
func (o *OnePass) Left() int { return (len(o.order) - o.pos) / o.batch * o.batch * o.ctx }

// Budget checks that training on tokens more tokens (batch x ctx per batch)
// fits in what is left of the pass.
func (o *OnePass) Budget(tokens int) error {
	if tokens > o.Left() {
		return fmt.Errorf("a budget of %d tokens exceeds the %d tokens left of one pass over the corpus (%d batches of %d x %d = %d tokens, %d of them used); tokens would repeat",
			tokens, o.Left(), o.Steps(), o.batch, o.ctx, o.Capacity(), o.pos/o.batch)
	}
	return nil
}

// Next fills starts (len = batch) with the next windows; it fails once the
// pass is used up.
func (o *OnePass) Next(starts []int) error {
	if len(starts) != o.batch {
		return fmt.Errorf("one-pass sampler serves batches of %d windows, asked for %d", o.batch, len(starts))
	}
	if o.pos+o.batch > len(o.order) {
		return fmt.Errorf("one pass is used up after %d steps", o.Steps())
	}
	for i := range starts {
		starts[i] = o.order[o.pos+i] * (o.ctx + 1)
	}
	o.pos += o.batch
	return nil
}

// State returns the seed and the position in the pass (16 bytes).
func (o *OnePass) State() []byte {
	b := binary.LittleEndian.AppendUint64(nil, o.seed)
	return binary.LittleEndian.AppendUint64(b, uint64(o.pos))
}

// Restore sets the position saved by State; the seed must match.
func (o *OnePass) Restore(state []byte) error {
	if len(state) != 16 {
		return fmt.Errorf("one-pass sampler state has %d bytes, want 16", len(state))
	}
	seed, pos := binary.LittleEndian.Uint64(state), binary.LittleEndian.Uint64(state[8:])
	if seed != o.seed {
		return fmt.Errorf("one-pass sampler state is for seed %d, this sampler has seed %d", seed, o.seed)
	}
	if pos > uint64(len(o.order)) || pos%uint64(o.batch) != 0 {
		return fmt.Errorf("one-pass sampler state position %d is invalid for %d windows in batches of %d", pos, len(o.order), o.batch)
	}
	o.pos = int(pos)
	return nil
}

// Fill copies the windows at starts into x (inputs) and y (next-token
// targets), each len(starts) x ctx row-major. Every start must satisfy
// start+ctx < len(toks), and x and y must hold len(starts)*ctx values.
func Fill(toks []uint16, starts []int, ctx int, x, y []int32) {
	for b, s := range starts {
		w := toks[s : s+ctx+1]
		xr, yr := x[b*ctx:(b+1)*ctx], y[b*ctx:(b+1)*ctx]
		for i := range ctx {
			xr[i] = int32(w[i])
			yr[i] = int32(w[i+1])
		}
	}
}
