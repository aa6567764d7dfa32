package data

import (
	"fmt"
	"strings"
)

// VisionNames returns the dataset names LoadVision accepts.
func VisionNames() []string {
	return []string{"fashion-mnist", "cifar10", "cifar100", "tiny-imagenet", "cifar5m"}
}

// Options are loader settings beyond a dataset's name and directory.
type Options struct {
	// TrainPerClass and TestPerClass let the loaders of the large datasets
	// (tiny-imagenet, cifar5m) keep only the first N examples of each class
	// and stop reading early (0 = all). Other loaders read everything; the
	// caller still takes BalancedSubset, which then changes nothing.
	TrainPerClass, TestPerClass int
	// TestDir, for cifar5m only, names a CIFAR-10 binary directory whose
	// test_batch.bin is the test split instead of the held-out CIFAR-5m images.
	TestDir string
}

// LoadVision loads the train and test splits of the named vision
// dataset ("fashion-mnist", "cifar10", "cifar100", "tiny-imagenet" or
// "cifar5m") from dir; dir "" means the default location (FashionMNISTDir,
// CIFAR10Dir, CIFAR100Dir, TinyImageNetDir or CIFAR5mDir).
func LoadVision(name, dir string, o Options) (train, test *Dataset, err error) {
	var (
		def  string
		load func(dir string, train bool) (*Dataset, error)
	)
	perClass := func(train bool) int {
		if train {
			return o.TrainPerClass
		}
		return o.TestPerClass
	}
	switch name {
	case "fashion-mnist":
		def, load = FashionMNISTDir, LoadFashionMNIST
	case "cifar10":
		def, load = CIFAR10Dir, func(dir string, train bool) (*Dataset, error) { return LoadCIFAR(dir, 10, train) }
	case "cifar100":
		def, load = CIFAR100Dir, func(dir string, train bool) (*Dataset, error) { return LoadCIFAR(dir, 100, train) }
	case "tiny-imagenet":
		def, load = TinyImageNetDir, func(dir string, train bool) (*Dataset, error) { return LoadTinyImageNet(dir, train, perClass(train)) }
	case "cifar5m":
		def, load = CIFAR5mDir, func(dir string, train bool) (*Dataset, error) {
			if !train && o.TestDir != "" {
				return LoadCIFAR(o.TestDir, 10, false)
			}
			return LoadCIFAR5m(dir, train, perClass(train))
		}
	default:
		return nil, nil, fmt.Errorf("data: unknown vision dataset %q (valid: %s)", name, strings.Join(VisionNames(), ", "))
	}
	if o.TestDir != "" && name != "cifar5m" {
		return nil, nil, fmt.Errorf("data: a separate test directory is only supported for cifar5m, not %s", name)
	}
	if dir == "" {
		dir = def
	}
	if train, err = load(dir, true); err != nil {
		return nil, nil, err
	}
	if test, err = load(dir, false); err != nil {
		return nil, nil, err
	}
	return train, test, nil
}
