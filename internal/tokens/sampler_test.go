package tokens

import (
	"slices"
	"testing"
)

func TestFillKnownAnswer(t *testing.T) {
	toks := []uint16{10, 11, 12, 13, 14, 15}
	x, y := make([]int32, 6), make([]int32, 6)
	Fill(toks, []int{0, 2}, 3, x, y)
	if !slices.Equal(x, []int32{10, 11, 12, 12, 13, 14}) || !slices.Equal(y, []int32{11, 12, 13, 13, 14, 15}) {
		t.Fatalf("x = %v, y = %v", x, y)
	}
}

func TestWindowsRangeAndRestore(t *testing.T) {
	const n, ctx = 20, 8
	w, err := NewWindows(n, ctx, 7)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[int]bool{}
	starts := make([]int, 64)
	for range 20 {
		w.Next(starts)
		for _, s := range starts {
			if s < 0 || s+ctx+1 > n {
				t.Fatalf("start %d: window leaves the corpus", s)
			}
			seen[s] = true
		}
	}
	if len(seen) != n-ctx {
		t.Fatalf("saw %d distinct starts, want all %d", len(seen), n-ctx)
	}
	state := w.State()
	a := make([]int, 16)
	w.Next(a)
	w2, _ := NewWindows(n, ctx, 99)
	if err := w2.Restore(state); err != nil {
		t.Fatal(err)
	}
	b := make([]int, 16)
	w2.Next(b)
	if !slices.Equal(a, b) {
		t.Fatalf("after Restore: %v, want %v", b, a)
	}
	if err := w2.Restore([]byte{1, 2}); err == nil {
		t.Fatal("Restore accepted garbage")
	}
	if _, err := NewWindows(8, 8, 0); err == nil {
		t.Fatal("NewWindows accepted a corpus shorter than one window")
	}
}

func TestOnePassNeverRepeats(t *testing.T) {
	const n, ctx, batch = 1000, 9, 4 // 100 windows of 10 tokens, 25 steps
	o, err := NewOnePass(n, ctx, batch, 3)
	if err != nil {
		t.Fatal(err)
	}
	if o.Steps() != 25 || o.Capacity() != 25*4*9 {
		t.Fatalf("Steps, Capacity = %d, %d", o.Steps(), o.Capacity())
	}
	used := make([]bool, n)
	starts := make([]int, batch)
	var order []int
	for step := range o.Steps() {
		if err := o.Next(starts); err != nil {
			t.Fatalf("step %d: %v", step, err)
		}
		for _, s := range starts {
			for i := s; i <= s+ctx; i++ {
				if used[i] {
					t.Fatalf("token %d used twice", i)
				}
				used[i] = true
			}
		}
		order = append(order, starts...)
	}
	if slices.IsSorted(order) {
		t.Fatal("windows visited in corpus order, want a shuffled order")
	}
	if err := o.Next(starts); err == nil {
		t.Fatal("Next after the pass succeeded")
	}
	if err := o.Budget(1); err == nil {
		t.Fatal("Budget accepted a token after the pass")
	}
	fresh, _ := NewOnePass(n, ctx, batch, 3)
	if err := fresh.Budget(fresh.Capacity()); err != nil {
		t.Fatal(err)
	}
	if err := fresh.Budget(fresh.Capacity() + 1); err == nil {
		t.Fatal("Budget accepted more tokens than one pass holds")
	}
}

func TestOnePassRestore(t *testing.T) {
	o, _ := NewOnePass(500, 4, 2, 11)
	starts := make([]int, 2)
	for range 7 {
		o.Next(starts)
	}
	state := o.State()
	want := make([]int, 2)
	o.Next(want)
	o2, _ := NewOnePass(500, 4, 2, 11)
	if err := o2.Restore(state); err != nil {
		t.Fatal(err)
	}
	if err := o2.Budget(o2.Capacity() - 7*2*4); err != nil {
		t.Fatalf("Budget of the pass's rest after 7 batches: %v", err)
	}
	if err := o2.Budget(o2.Capacity() - 7*2*4 + 1); err == nil {
		t.Fatal("Budget accepted more tokens than the rest of the pass holds")
	}
	got := make([]int, 2)
	o2.Next(got)
	if !slices.Equal(got, want) {
		t.Fatalf("after Restore: %v, want %v", got, want)
	}
	other, _ := NewOnePass(500, 4, 2, 12)
	if err := other.Restore(state); err == nil {
		t.Fatal("Restore accepted a state from another seed")
	}
	if _, err := NewOnePass(10, 4, 3, 0); err == nil {
		t.Fatal("NewOnePass accepted a corpus smaller than one batch")
	}
}
