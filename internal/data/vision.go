package data

import (
	"fmt"
	"strings"
)

// VisionNames returns the dataset names LoadVision accepts.
func VisionNames() []string { return []string{"fashion-mnist", "cifar10", "cifar100"} }

// LoadVision loads the train and test splits of the named vision dataset
// ("fashion-mnist", "cifar10" or "cifar100") from dir; dir "" means the
// default location (FashionMNISTDir, CIFAR10Dir or CIFAR100Dir).
func LoadVision(name, dir string) (train, test *Dataset, err error) {
	var (
		def  string
		load func(dir string, train bool) (*Dataset, error)
	)
	switch name {
	case "fashion-mnist":
		def, load = FashionMNISTDir, LoadFashionMNIST
	case "cifar10":
		def, load = CIFAR10Dir, func(dir string, train bool) (*Dataset, error) { return LoadCIFAR(dir, 10, train) }
	case "cifar100":
		def, load = CIFAR100Dir, func(dir string, train bool) (*Dataset, error) { return LoadCIFAR(dir, 100, train) }
	default:
		return nil, nil, fmt.Errorf("data: unknown vision dataset %q (valid: %s)", name, strings.Join(VisionNames(), ", "))
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
