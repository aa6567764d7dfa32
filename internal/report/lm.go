package report

import (
	"fmt"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
)

// lmFigures draws language-model runs (those recording val_loss or
// tokens): train_loss solid and val_loss dashed over tokens (over step when
// a run does not record tokens), one colour per run.
func lmFigures(runs []Run, outDir string) ([]Figure, error) {
	var lm []Run
	for _, r := range runs {
		if r.Has("val_loss") || r.Has("tokens") {
			lm = append(lm, r)
		}
	}
	if len(lm) == 0 {
		return nil, nil
	}
	x := "tokens"
	for _, r := range lm {
		if !r.Has("tokens") {
			x = "step"
		}
	}
	p := plot.New()
	p.Title.Text = "LM loss over " + x
	p.X.Label.Text, p.Y.Label.Text = x, "loss"
	p.Legend.Top = true
	drawn := false
	for i, r := range lm {
		named := false
		for _, k := range []string{"train_loss", "val_loss"} {
			xs, ys := r.Series(x, k)
			if len(xs) == 0 {
				continue
			}
			l, err := plotter.NewLine(xyPairs(xs, ys))
			if err != nil {
				return nil, fmt.Errorf("figure lm_loss: %w", err)
			}
			l.LineStyle.Color = runColor(i, len(lm))
			if k == "val_loss" {
				l.LineStyle.Dashes = emaDashes
			}
			if !named {
				p.Legend.Add(r.Label, l)
				named = true
			}
			p.Add(l)
			drawn = true
		}
	}
	if !drawn {
		return nil, nil
	}
	f, err := save(p, outDir, "lm_loss", fmt.Sprintf("Language-model runs over %s; solid: train_loss, dashed: val_loss.", x))
	if err != nil {
		return nil, err
	}
	return []Figure{f}, nil
}
