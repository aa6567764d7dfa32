package bench

import "testing"

func TestFLOPCountsMatchPeer(t *testing.T) {
	// torch_bench.py counts 0.5582 GMAC per image for PreAct-ResNet-18 width 16
	// would be circular; instead check the count by hand on a tiny net:
	// width 2, one block per stage, 32x32x3, 10 classes.
	r, err := ResNet(ResNetOptions{Width: 2, Batch: 2, Blocks: []int{1, 1, 1, 1}, Warmup: 0, Iters: 1})
	if err != nil {
		t.Fatal(err)
	}
	// stem 1024*27*2; stage1 2 convs 1024*18*2; stage2 256*(18*4 + 36*4 + 2*4);
	// stage3 64*(36*8 + 72*8 + 4*8); stage4 16*(72*16 + 144*16 + 8*16); fc 16*10.
	macs := 1024*27*2 + 2*1024*18*2 + 256*(18*4+36*4+2*4) + 64*(36*8+72*8+4*8) + 16*(72*16+144*16+8*16) + 16*10
	want := 2 * 3 * 2 * float64(macs) / 1e9
	if d := r.GFLOPPerStep - want; d > 1e-12 || d < -1e-12 {
		t.Fatalf("train GFLOP per step = %v, want %v", r.GFLOPPerStep, want)
	}
}

func BenchmarkResNet18Width16Batch32(b *testing.B) {
	for range b.N {
		if _, err := ResNet(ResNetOptions{Width: 16, Batch: 32, Blocks: []int{2, 2, 2, 2}, Iters: 1}); err != nil {
			b.Fatal(err)
		}
	}
}

func TestResNetGoMLXCountsFLOPsLikeNative(t *testing.T) {
	o := ResNetOptions{Width: 2, Batch: 2, Blocks: []int{1, 1, 1, 1}, Iters: 1}
	native, err := ResNet(o)
	if err != nil {
		t.Fatal(err)
	}
	g, err := ResNetGoMLX(o, "go")
	if err != nil {
		t.Fatal(err)
	}
	if g.GFLOPPerStep != native.GFLOPPerStep || g.Params != native.Params {
		t.Errorf("gomlx counts %v GFLOP/step and %d params, native %v and %d", g.GFLOPPerStep, g.Params, native.GFLOPPerStep, native.Params)
	}
	if g.Executor != "gomlx" || g.StepS <= 0 || g.PeakGFLOPS <= 0 || g.MFU <= 0 {
		t.Errorf("gomlx result %+v", g)
	}
}
