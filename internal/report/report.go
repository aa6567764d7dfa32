package report

import (
	"fmt"
	"os"
	"path/filepath"

	"wdlab/internal/runio"
)

// IndexFile is the report's HTML page in the output directory.
const IndexFile = "index.html"

// Options control Render.
type Options struct {
	// Claims checks claims against the runs; nil means the checks of the
	// experiment that ExperimentFile in the runs' directory names, else
	// the generic Claims.
	Claims func(runs []Run) []Claim
}

// Render loads every run under dir (see LoadRuns) and writes into outDir
// the figures (PNG and SVG), index.html with the figures, the claims and a
// table of the runs, and the claims as ClaimsFile. It returns the figures
// written.
func Render(dir, outDir string, opt Options) ([]Figure, error) {
	runs, err := LoadRuns(dir)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return nil, err
	}
	var figs []Figure
	for _, draw := range []func([]Run, string) ([]Figure, error){curveFigures, heatmapFigures, scatterFigures, lmFigures} {
		f, err := draw(runs, outDir)
		if err != nil {
			return nil, err
		}
		figs = append(figs, f...)
	}
	exp, err := ReadExperiment(dir)
	if err != nil {
		return nil, err
	}
	check := opt.Claims
	switch {
	case check != nil:
	case exp != nil && len(exp.Claims) > 0:
		check = ExperimentChecks(exp.Name, exp.Claims)
	default:
		check = Claims
	}
	claims := check(runs)
	p := page{Root: dir, Figures: figs, Rows: tableRows(runs), Claims: claims, Seeds: seedGroups(runs), Rule: SpreadRule}
	if exp != nil {
		p.Experiment = exp.Name + " (" + exp.Scale + ")"
	}
	html, err := renderHTML(p)
	if err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	if err := WriteClaims(outDir, claims); err != nil {
		return nil, err
	}
	if err := runio.WriteFileAtomic(filepath.Join(outDir, IndexFile), html, 0o644); err != nil {
		return nil, err
	}
	return figs, nil
}
