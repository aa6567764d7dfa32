package probe

import (
	"os"
	"path/filepath"
	"testing"

	"wdlab/internal/nn"
)

// perturb shifts every weight of m by s (a different iterate).
func perturb(m *nn.Model, s float32) {
	for _, p := range m.Weights() {
		for i := range p.W {
			p.W[i] += s * float32(i%3-1)
		}
	}
}

// The ensemble averages the last Size snapshots, deletes older files, and
// a fresh Ensemble on the same directory (a resumed run) rebuilds the same
// window from the files.
func TestEnsembleWindowAndResume(t *testing.T) {
	m := linearSoftmax(t, 4, 3)
	test := vectors(9, 4, 3, 6)
	dir := filepath.Join(t.TempDir(), SnapshotDir)
	e := &Ensemble{Size: 2, From: 2, Dir: dir, Batch: 4}
	var members []Probs
	var last Probs
	for epoch := 2; epoch <= 4; epoch++ {
		perturb(m, 0.1)
		members = append(members, Softmax(m, test, 4))
		p, n, err := e.Add(m, test, epoch)
		if err != nil {
			t.Fatal(err)
		}
		if want := min(epoch-1, 2); n != want {
			t.Errorf("epoch %d: %d members, want %d", epoch, n, want)
		}
		last = p
	}
	want := Average(members[1:])
	for i, v := range want.P {
		if last.P[i] != v {
			t.Fatalf("ensemble differs from the mean of the last two snapshots at %d", i)
		}
	}
	files, _ := os.ReadDir(dir)
	if len(files) != 2 || files[0].Name() != "epoch-000003.safetensors" {
		t.Errorf("snapshot files %v, want epochs 3 and 4", files)
	}
	// Resume after epoch 4: epoch 5 needs the snapshot of epoch 4 from disk.
	resumed := &Ensemble{Size: 2, From: 2, Dir: dir, Batch: 4}
	perturb(m, 0.1)
	next := Softmax(m, test, 4)
	got, n, err := resumed.Add(m, test, 5)
	if err != nil || n != 2 {
		t.Fatalf("resumed Add: %d members, %v", n, err)
	}
	ref := Average([]Probs{members[2], next})
	for i, v := range ref.P {
		if d := got.P[i] - v; d > 1e-15 || d < -1e-15 {
			t.Fatalf("resumed ensemble differs at %d: %v vs %v", i, got.P[i], v)
		}
	}
	// Without the files a resumed ensemble reports what is missing.
	os.RemoveAll(dir)
	lost := &Ensemble{Size: 2, From: 2, Dir: dir, Batch: 4}
	if _, _, err := lost.Add(m, test, 6); err == nil {
		t.Error("missing snapshot file: no error")
	}
}
