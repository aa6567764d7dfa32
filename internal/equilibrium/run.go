package equilibrium

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"time"

	"wdlab/internal/data"
	"wdlab/internal/runio"
)

// Summary is the content of summary.json.
type Summary struct {
	Experiment string       `json:"experiment"`
	Scale      string       `json:"scale"`
	Plan       Plan         `json:"plan"`
	Data       string       `json:"data"`
	Examples   int          `json:"examples"`
	Model      string       `json:"model"`
	SIParams   int          `json:"si_params"`
	Batch      int          `json:"batch"`
	Cells      []Cell       `json:"cells"`
	Laws       []LawSummary `json:"laws"`
	Groups     []Group      `json:"equal_product_groups"`
	EllPrime   EllPrime     `json:"ell_prime"`
	// Pass is true when every required law holds in every required cell.
	Pass  bool    `json:"pass"`
	WallS float64 `json:"wall_s"`
}

// Run runs the experiment at a named scale (see PlanFor) into out, logging
// progress lines to log (nil = silent). Cancelling ctx (SIGINT) stops the
// cells at their next epoch and returns its error; nothing is resumed.
func Run(ctx context.Context, scale, out string, log io.Writer) (*Summary, error) {
	p, err := PlanFor(scale)
	if err != nil {
		return nil, err
	}
	return RunPlan(ctx, p, out, log)
}

// RunPlan runs the cells of p (several at once, each deterministic from
// the seed) and writes out/summary.json, out/equilibrium.png and .svg, and
// out/cells/NAME/metrics.jsonl with each cell's per-epoch metrics.
func RunPlan(ctx context.Context, p Plan, out string, log io.Writer) (*Summary, error) {
	start := time.Now()
	if log == nil {
		log = io.Discard
	}
	if err := p.validate(); err != nil {
		return nil, err
	}
	d, dataName, err := loadData(p, log)
	if err != nil {
		return nil, err
	}
	desc, err := SIMLP([]int{d.H, d.W, d.C}, p.Hidden, d.Classes)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Join(out, "cells"), 0o755); err != nil {
		return nil, fmt.Errorf("equilibrium: %w", err)
	}
	specs := p.Cells()
	cells := make([]Cell, len(specs))
	errs := make([]error, len(specs))
	workers := p.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	var mu sync.Mutex
	var wg sync.WaitGroup
	next := make(chan int)
	for range min(workers, len(specs)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				c, lines, err := runCell(ctx, p, specs[i], desc, d)
				if err != nil {
					errs[i] = err
					continue
				}
				err = writeLines(filepath.Join(out, "cells", c.Name, runio.MetricsFile), lines)
				cells[i], errs[i] = c, err
				mu.Lock()
				fmt.Fprintf(log, "equilibrium %s: %s (%d steps, %.1fs): angle %.4g (sqrt(2 lr wd) %.4g), ||w|| %.4g, train CE %.4g\n",
					p.Scale, c.Name, c.Steps, c.WallS, c.AngleRMS, sqrt2(c.Product), c.SINorm, c.TrainCE)
				mu.Unlock()
			}
		}()
	}
dispatch:
	for i := range specs {
		select {
		case next <- i:
		case <-ctx.Done():
			break dispatch
		}
	}
	close(next)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("equilibrium: interrupted (%w); run it again to start over", err)
	}
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	s := &Summary{Experiment: "equilibrium", Scale: p.Scale, Plan: p, Data: dataName, Examples: d.N, Model: desc.Name,
		SIParams: siParams(desc), Batch: p.Batch, Cells: cells}
	s.Laws, s.Groups, s.EllPrime = applyLaws(s.Cells)
	s.Pass = true
	for _, l := range s.Laws {
		s.Pass = s.Pass && l.RequiredPassed == l.RequiredTotal
	}
	if err := plotAngles(s, filepath.Join(out, "equilibrium")); err != nil {
		return nil, err
	}
	s.WallS = time.Since(start).Seconds()
	if err := runio.WriteJSONAtomic(filepath.Join(out, runio.SummaryFile), s); err != nil {
		return nil, fmt.Errorf("equilibrium: %w", err)
	}
	return s, nil
}

// loadData returns the pooled, standardised training subset: Fashion-MNIST,
// or data.Synthetic when the plan asks for it or the dataset is missing.
func loadData(p Plan, log io.Writer) (*data.Dataset, string, error) {
	var d *data.Dataset
	name := "fashion-mnist"
	if !p.Synthetic {
		full, err := data.LoadFashionMNIST(data.FashionMNISTDir, true)
		if err != nil {
			fmt.Fprintf(log, "equilibrium: Fashion-MNIST unavailable (%v); using synthetic data\n", err)
			name = fmt.Sprintf("synthetic (fashion-mnist unavailable: %v)", err)
		} else if d, err = full.BalancedSubset(p.PerClass); err != nil {
			return nil, "", fmt.Errorf("equilibrium: %w", err)
		}
	} else {
		name = "synthetic"
	}
	if d == nil {
		d = data.Synthetic(10*p.PerClass, p.SynthSize, p.SynthSize, 1, 10, p.Seed)
	}
	if d.N < p.Batch {
		return nil, "", fmt.Errorf("equilibrium: batch %d exceeds the %d training examples", p.Batch, d.N)
	}
	d = poolImages(d, p.Pool)
	mean, std := data.ChannelStats(d)
	d.Normalize(mean, std)
	return d, name, nil
}

// writeLines writes metric lines as JSON lines, atomically.
func writeLines(path string, lines []map[string]float64) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("equilibrium: %w", err)
	}
	var buf []byte
	for _, l := range lines {
		b, err := json.Marshal(l)
		if err != nil {
			return fmt.Errorf("equilibrium: %s: %w", path, err)
		}
		buf = append(append(buf, b...), '\n')
	}
	return runio.WriteFileAtomic(path, buf, 0o644)
}
