package train

import (
	"fmt"
	"strings"

	"github.com/schollz/progressbar/v3"
)

// bar is the part of a progress bar the loop uses.
type bar interface {
	Add(int) error
	Finish() error
}

type noBar struct{}

func (noBar) Add(int) error { return nil }
func (noBar) Finish() error { return nil }

// newBar returns a progress bar over steps steps described by desc, or a
// no-op.
func newBar(o Options, steps int, desc string) bar {
	if !o.Bar || o.Log == nil {
		return noBar{}
	}
	return progressbar.NewOptions(steps,
		progressbar.OptionSetWriter(o.Log),
		progressbar.OptionSetDescription(desc),
		progressbar.OptionShowIts(),
		progressbar.OptionSetItsString("steps"),
		progressbar.OptionClearOnFinish())
}

// visionLine formats the headline metrics of a vision evaluation point,
// placed by epoch or, in step budgets, by step.
func visionLine(m map[string]float64, b Budget) string {
	keys := []string{"train_ce", "test_err", "ema_test_err", "param_norm", "angular_update", "samples_per_s"}
	var parts []string
	for _, k := range keys {
		if v, ok := m[k]; ok {
			parts = append(parts, fmt.Sprintf("%s=%.4g", k, v))
		}
	}
	at := fmt.Sprintf("step %d/%d", int(m["step"]), b.Steps)
	if b.Unit > 1 {
		at = fmt.Sprintf("epoch %d/%d", int(m["step"])/b.Unit, b.Steps/b.Unit)
	}
	return at + " " + strings.Join(parts, " ")
}
