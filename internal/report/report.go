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
	// Claims checks claims against the runs; nil means Claims.
	Claims func(runs []Run) []Claim
}

// Render loads every run under dir (see LoadRuns) and writes into outDir
// the figures (PNG and SVG) and index.html with the figures, the claims
// and a table of the runs. It returns the figures written.
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
	claims := opt.Claims
	if claims == nil {
		claims = Claims
	}
	html, err := renderHTML(page{Root: dir, Figures: figs, Rows: tableRows(runs), Claims: claims(runs), Seeds: seedGroups(runs)})
	if err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	if err := runio.WriteFileAtomic(filepath.Join(outDir, IndexFile), html, 0o644); err != nil {
		return nil, err
	}
	return figs, nil
}
