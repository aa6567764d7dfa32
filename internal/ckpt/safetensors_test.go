package ckpt

import (
	"encoding/binary"
	"testing"
)

func TestRoundTripAndLayout(t *testing.T) {
	f := File{
		Tensors:  map[string]Tensor{"b": {Shape: []int{2}, Data: []float32{3, 4}}, "a": {Shape: []int{1, 1}, Data: []float32{1.5}}},
		Metadata: map[string]string{"epoch": "3"},
	}
	b, err := Encode(f)
	if err != nil {
		t.Fatal(err)
	}
	hl := binary.LittleEndian.Uint64(b)
	if (8+hl)%8 != 0 || len(b) != int(8+hl)+12 {
		t.Fatalf("layout: header %d, total %d", hl, len(b))
	}
	// "a" sorts first, so its 1.5 (0x3fc00000) starts the data section.
	if binary.LittleEndian.Uint32(b[8+hl:]) != 0x3fc00000 {
		t.Fatalf("first data word %x", binary.LittleEndian.Uint32(b[8+hl:]))
	}
	g, err := Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	if g.Metadata["epoch"] != "3" || g.Tensors["b"].Data[1] != 4 || g.Tensors["a"].Shape[1] != 1 {
		t.Fatalf("decoded %+v", g)
	}
}

func TestDecodeRejectsCorrupt(t *testing.T) {
	good, _ := Encode(File{Tensors: map[string]Tensor{"w": {Shape: []int{4}, Data: make([]float32, 4)}}})
	bad := [][]byte{nil, good[:5], good[:len(good)-3], append([]byte{0xff, 0xff, 0xff, 0, 0, 0, 0, 0}, good[8:]...)}
	for i, b := range bad {
		if _, err := Decode(b); err == nil {
			t.Errorf("case %d: corrupt file accepted", i)
		}
	}
}
