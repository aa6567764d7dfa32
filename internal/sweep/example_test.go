package sweep_test

import (
	"fmt"

	"wdlab/internal/sweep"
)

// Cells enumerate the grid with keys sorted and the last key fastest.
func ExampleSweep_Cells() {
	sw := &sweep.Sweep{Grid: []sweep.Axis{
		{Key: "optim.lr", Values: []string{"0.1", "0.2"}},
		{Key: "optim.wd", Values: []string{"0", "5e-4"}},
	}}
	for _, c := range sw.Cells() {
		fmt.Println(c.Name())
	}
	// Output:
	// 0000-optim.lr=0.1,optim.wd=0
	// 0001-optim.lr=0.1,optim.wd=5e-4
	// 0002-optim.lr=0.2,optim.wd=0
	// 0003-optim.lr=0.2,optim.wd=5e-4
}
