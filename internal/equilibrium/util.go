package equilibrium

import (
	"math"

	"wdlab/internal/nn"
)

// sqrt2 is the predicted angular update sqrt(2 lr wd).
func sqrt2(product float64) float64 { return math.Sqrt(2 * product) }

// siParams counts the scalars of the scale-invariant group of desc.
func siParams(desc nn.Desc) int {
	m, err := nn.Build(desc)
	if err != nil {
		return 0
	}
	n := 0
	for _, p := range m.Weights() {
		if p.ScaleInv {
			n += p.Size()
		}
	}
	return n
}
