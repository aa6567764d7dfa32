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

// newBar returns a progress bar over one epoch's steps, or a no-op.
func newBar(o Options, steps, epoch, epochs int) bar {
	if !o.Bar || o.Log == nil {
		return noBar{}
	}
	return progressbar.NewOptions(steps,
		progressbar.OptionSetWriter(o.Log),
		progressbar.OptionSetDescription(fmt.Sprintf("epoch %d/%d", epoch, epochs)),
		progressbar.OptionShowIts(),
		progressbar.OptionSetItsString("steps"),
		progressbar.OptionClearOnFinish())
}

// epochLine formats the headline metrics of one epoch.
func epochLine(m map[string]float64, epochs int) string {
	keys := []string{"train_ce", "test_err", "ema_test_err", "param_norm", "angular_update", "samples_per_s"}
	var parts []string
	for _, k := range keys {
		if v, ok := m[k]; ok {
			parts = append(parts, fmt.Sprintf("%s=%.4g", k, v))
		}
	}
	return fmt.Sprintf("epoch %d/%d %s", int(m["epoch"]), epochs, strings.Join(parts, " "))
}
