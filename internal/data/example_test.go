package data

import "fmt"

func ExampleEvalBatches() {
	fmt.Println(NumBatches(10, 4), EvalBatches(10, 4))
	// Output: 2 [[0 4] [4 8] [8 10]]
}

func ExampleDataset_BalancedSubset() {
	d := &Dataset{Name: "toy", N: 6, H: 1, W: 1, C: 1, Classes: 2,
		X: []float32{10, 11, 12, 13, 14, 15}, Y: []int32{1, 1, 1, 0, 0, 1}}
	s, err := d.BalancedSubset(2)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(s.X, s.Y)
	// Output: [10 11 13 14] [1 1 0 0]
}

func ExampleDataset_Normalize() {
	d := &Dataset{N: 2, H: 1, W: 1, C: 2, Classes: 1, X: []float32{0, 10, 4, 30}, Y: []int32{0, 0}}
	mean, std := ChannelStats(d)
	d.Normalize(mean, std)
	fmt.Println(mean, std, d.X)
	// Output: [2 20] [2 10] [-1 -1 1 1]
}
