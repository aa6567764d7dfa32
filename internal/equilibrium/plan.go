package equilibrium

import (
	"fmt"
	"math"
)

// Plan sizes one equilibrium experiment.
type Plan struct {
	Scale    string    `json:"scale"`
	PerClass int       `json:"per_class"` // training examples per class (Fashion-MNIST subset)
	Pool     int       `json:"pool"`      // average-pool the images by this factor once, before training (1 = none)
	Hidden   []int     `json:"hidden"`    // hidden widths of the scale-invariant BN-MLP
	Batch    int       `json:"batch"`     // SGD batch size
	LRs      []float64 `json:"lrs"`       // learning rates of the grid
	Products []float64 `json:"products"`  // lr*wd products of the grid; wd = product / lr
	// BurnIn and Window size each cell in units of lr*wd*steps: a cell runs
	// ceil(BurnIn/(lr*wd)) burn-in steps, then measures over a window of
	// max(ceil(Window/(lr*wd)), MinWindow) steps.
	BurnIn    float64 `json:"burn_in"`
	Window    float64 `json:"window"`
	MinWindow int     `json:"min_window"`
	Seed      uint64  `json:"seed"`
	// Synthetic replaces Fashion-MNIST with data.Synthetic images of
	// SynthSize x SynthSize (tests, and machines without the dataset).
	Synthetic bool `json:"synthetic"`
	SynthSize int  `json:"synth_size"`
	Workers   int  `json:"-"` // cells trained at once (0 = GOMAXPROCS)
}

// Scales lists the scales PlanFor knows.
func Scales() []string { return []string{"tiny", "small", "paper"} }

// PlanFor returns the plan of a named scale: tiny (4k images at 14x14,
// 196-128-128-10, minutes on 2 cores), small (10k images, 784-256-256-10,
// a longer window) or paper (all 60k images, 784-512-512-10, a longer
// burn-in; the paper's own scale-invariant ResNet-18 is out of reach of a
// CPU grid).
func PlanFor(scale string) (Plan, error) {
	base := Plan{Scale: scale, Batch: 128, Seed: 42, LRs: []float64{0.05, 0.1, 0.2, 0.4}, SynthSize: 28}
	switch scale {
	case "tiny":
		base.PerClass, base.Pool, base.Hidden = 400, 2, []int{128, 128}
		base.Products = []float64{2.5e-4, 1e-3, 4e-3}
		base.BurnIn, base.Window, base.MinWindow = 2.5, 0.5, 400
	case "small":
		base.PerClass, base.Pool, base.Hidden = 1000, 1, []int{256, 256}
		base.Products = []float64{1e-4, 2.5e-4, 1e-3, 4e-3}
		base.BurnIn, base.Window, base.MinWindow = 2, 1, 1000
	case "paper":
		base.PerClass, base.Pool, base.Hidden = 6000, 1, []int{512, 512}
		base.LRs = []float64{0.025, 0.05, 0.1, 0.2, 0.4}
		base.Products = []float64{1e-4, 2.5e-4, 1e-3, 4e-3}
		base.BurnIn, base.Window, base.MinWindow = 3, 1, 2000
	default:
		return Plan{}, fmt.Errorf("equilibrium: unknown scale %q (want one of %v)", scale, Scales())
	}
	return base, nil
}

// CellSpec is one (lr, wd) point of the grid.
type CellSpec struct {
	Name          string
	LR, WD        float64
	Steps, Window int
}

// Cells expands the grid: for each product, every learning rate with
// wd = product / lr.
func (p Plan) Cells() []CellSpec {
	var out []CellSpec
	for _, prod := range p.Products {
		for _, lr := range p.LRs {
			wd := prod / lr
			win := max(int(math.Ceil(p.Window/prod)), p.MinWindow)
			steps := int(math.Ceil(p.BurnIn/prod)) + win
			out = append(out, CellSpec{Name: fmt.Sprintf("lr%g_wd%g", lr, wd), LR: lr, WD: wd, Steps: steps, Window: win})
		}
	}
	return out
}

// validate rejects plans that cannot run.
func (p Plan) validate() error {
	switch {
	case p.PerClass < 1 || p.Batch < 1 || p.Pool < 1 || len(p.Hidden) == 0:
		return fmt.Errorf("equilibrium: plan needs per_class, batch, pool >= 1 and hidden layers")
	case len(p.LRs) == 0 || len(p.Products) == 0:
		return fmt.Errorf("equilibrium: plan has no learning rates or products")
	case !(p.Window > 0) || p.BurnIn < 0:
		return fmt.Errorf("equilibrium: plan window %v must be > 0 and burn-in %v >= 0", p.Window, p.BurnIn)
	}
	for _, v := range append(append([]float64(nil), p.LRs...), p.Products...) {
		if !(v > 0) || math.IsInf(v, 0) {
			return fmt.Errorf("equilibrium: learning rates and products must be finite and > 0, got %v", v)
		}
	}
	return nil
}
