package report

import (
	"bytes"
	"fmt"
	"path/filepath"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"

	"wdlab/internal/runio"
)

// Figure is one rendered figure: a PNG and an SVG file in the output
// directory.
type Figure struct {
	Name    string // file name without extension
	Title   string
	Caption string
	PNG     string // file name relative to the output directory
	SVG     string
}

// figure size in the files.
const (
	figWidth  = 6 * vg.Inch
	figHeight = 4 * vg.Inch
)

// save writes p as outDir/name.png and outDir/name.svg, each atomically.
func save(p *plot.Plot, outDir, name, caption string) (Figure, error) {
	f := Figure{Name: name, Title: p.Title.Text, Caption: caption, PNG: name + ".png", SVG: name + ".svg"}
	for _, file := range []string{f.PNG, f.SVG} {
		w, err := p.WriterTo(figWidth, figHeight, filepath.Ext(file)[1:])
		if err != nil {
			return f, fmt.Errorf("figure %s: %w", file, err)
		}
		var buf bytes.Buffer
		if _, err := w.WriteTo(&buf); err != nil {
			return f, fmt.Errorf("figure %s: %w", file, err)
		}
		if err := runio.WriteFileAtomic(filepath.Join(outDir, file), buf.Bytes(), 0o644); err != nil {
			return f, err
		}
	}
	return f, nil
}
