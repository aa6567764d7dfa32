package data

import (
	"slices"
	"testing"
)

func TestLoadVisionUnknownName(t *testing.T) {
	_, _, err := LoadVision("mnist", "", Options{})
	wantErr(t, err, `"mnist"`, "fashion-mnist, cifar10, cifar100, tiny-imagenet, cifar5m")
}

func TestLoadVisionDefaultDirs(t *testing.T) {
	// The package directory has no data/ folder, so the defaults must show up in the error.
	for name, dir := range map[string]string{"cifar10": CIFAR10Dir, "cifar100": CIFAR100Dir, "tiny-imagenet": TinyImageNetDir, "cifar5m": CIFAR5mDir} {
		_, _, err := LoadVision(name, "", Options{})
		wantErr(t, err, dir)
	}
}

func TestLoadVisionSplits(t *testing.T) {
	dir := t.TempDir()
	writeCIFAR10(t, dir)
	train, test, err := LoadVision("cifar10", dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if train.N != 6 || test.N != 1 {
		t.Fatalf("N = %d/%d, want 6/1", train.N, test.N)
	}

	dir = t.TempDir()
	writeFashion(t, dir, "train", 2, []byte{3, 1}, false)
	writeFashion(t, dir, "t10k", 1, []byte{8}, false)
	train, test, err = LoadVision("fashion-mnist", dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(train.Y, []int32{3, 1}) || !slices.Equal(test.Y, []int32{8}) {
		t.Fatalf("labels %v / %v, want [3 1] / [8]", train.Y, test.Y)
	}
}
