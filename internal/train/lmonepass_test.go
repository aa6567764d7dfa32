package train

import (
	"encoding/binary"
	"testing"

	"wdlab/internal/runio"
	"wdlab/internal/tokens"
)

// A one-pass run with gradient accumulation trains to the end, drawing
// grad_accum micro-batches of batch_size fresh windows per step.
func TestLMOnePassWithGradAccum(t *testing.T) {
	cfg := lmCfg(t)
	cfg.Data.OnePass, cfg.Train.GradAccum = true, 2
	r, err := newLMRunner(cfg, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	s, err := r.loop(Options{})
	if err != nil || s.Status != runio.StatusCompleted {
		t.Fatalf("one_pass with grad_accum 2: %v %+v", err, s)
	}
	pos := binary.LittleEndian.Uint64(r.Sampler.(*tokens.OnePass).State()[8:])
	if want := uint64(cfg.Train.Steps * 2 * cfg.Train.BatchSize); pos != want {
		t.Fatalf("the pass is at window %d after %d steps, want %d", pos, cfg.Train.Steps, want)
	}
}
