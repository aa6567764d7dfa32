package sweep

import (
	"fmt"

	"wdlab/internal/runio"
)

// headlineKeys are the final metrics a progress line shows, first found.
var headlineKeys = []string{"test_err", "val_loss", "train_loss", "train_ce"}

// headline returns "key=value" for the first headline metric in a summary.
func headline(s *runio.Summary) string {
	for _, k := range headlineKeys {
		if v, ok := s.Final[k]; ok {
			return fmt.Sprintf("%s=%.4g", k, v)
		}
	}
	return ""
}

// progressLine formats one finished cell, e.g.
// "[3/16] cell 0002 completed 41.2s test_err=0.153".
func progressLine(done, total int, o outcome) string {
	line := fmt.Sprintf("[%d/%d] cell %04d %s", done, total, o.cell.Index, o.status)
	if o.skipped {
		line += " (earlier run)"
	} else {
		line += fmt.Sprintf(" %.1fs", o.elapsed.Seconds())
	}
	if o.metric != "" {
		line += " " + o.metric
	}
	if o.err != nil {
		line += ": " + o.err.Error()
	}
	return line
}
