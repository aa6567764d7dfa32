package store

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"

	"wdlab/internal/runio"
)

// configColumns are the config values ExportCSV adds when any run has them,
// prefixed so that they do not clash with the metrics lr and wd (the
// scheduled values at each point).
var configColumns = []struct {
	name string
	keys []string
}{{"config_lr", runio.LRKeys}, {"config_wd", runio.WDKeys}, {"config_seed", runio.SeedKeys}}

// ExportCSV writes runs as CSV, one row per run per evaluation point (one
// row with empty metrics for a run without points). Columns: run (its
// directory), cell, status, then config_lr, config_wd and config_seed
// when some run's config has them, then step and epoch, then the other
// metric keys sorted. Absent values are empty cells; NaN is written as NaN.
func (s *Store) ExportCSV(w io.Writer, runs []Run) error {
	type runData struct {
		cfg map[string]any
		pts []runio.Point
	}
	data := make([]runData, len(runs))
	keySet := map[string]bool{}
	for i, r := range runs {
		cfg, err := runio.ParseConfig([]byte(r.ConfigYAML))
		if err != nil {
			cfg = nil // a config that does not parse has no lr/wd/seed to show
		}
		pts, err := s.Points(r.ID)
		if err != nil {
			return err
		}
		for _, p := range pts {
			for k := range p {
				keySet[k] = true
			}
		}
		data[i] = runData{cfg, pts}
	}
	header := []string{"run", "cell", "status"}
	var cfgCols []int
	for c, col := range configColumns {
		for _, d := range data {
			if _, ok := runio.ConfigNumber(d.cfg, col.keys...); ok {
				header, cfgCols = append(header, col.name), append(cfgCols, c)
				break
			}
		}
	}
	var metricKeys []string
	for _, k := range []string{"step", "epoch"} {
		if keySet[k] {
			metricKeys = append(metricKeys, k)
			delete(keySet, k)
		}
	}
	rest := make([]string, 0, len(keySet))
	for k := range keySet {
		rest = append(rest, k)
	}
	sort.Strings(rest)
	metricKeys = append(metricKeys, rest...)
	header = append(header, metricKeys...)

	cw := csv.NewWriter(w)
	if err := cw.Write(header); err != nil {
		return fmt.Errorf("csv export: %w", err)
	}
	for i, r := range runs {
		prefix := []string{r.Dir, strconv.Itoa(r.CellIndex), r.Status}
		for _, c := range cfgCols {
			v, ok := runio.ConfigNumber(data[i].cfg, configColumns[c].keys...)
			prefix = append(prefix, formatValue(v, ok))
		}
		pts := data[i].pts
		if len(pts) == 0 {
			pts = []runio.Point{{}}
		}
		for _, p := range pts {
			row := append([]string(nil), prefix...)
			for _, k := range metricKeys {
				v, ok := p[k]
				row = append(row, formatValue(v, ok))
			}
			if err := cw.Write(row); err != nil {
				return fmt.Errorf("csv export: %w", err)
			}
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("csv export: %w", err)
	}
	return nil
}

func formatValue(v float64, ok bool) string {
	switch {
	case !ok:
		return ""
	case math.IsNaN(v):
		return "NaN"
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}
