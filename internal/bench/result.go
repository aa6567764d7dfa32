package bench

import (
	"runtime"
	"syscall"
	"time"
)

// Result is one benchmark measurement (printed as JSON by `wdlab bench`).
type Result struct {
	Bench        string  `json:"bench"`
	Executor     string  `json:"executor"`
	Batch        int     `json:"batch"`
	StepS        float64 `json:"step_s"`
	SamplesPerS  float64 `json:"samples_per_s"`
	GFLOPPerStep float64 `json:"train_gflop_per_step"`
	GFLOPS       float64 `json:"gflops"`
	PeakRSSMB    float64 `json:"peak_rss_mb"`
	Threads      int     `json:"threads"`
	Params       int     `json:"params"`
}

// timeSteps runs warmup untimed steps, then iters timed ones, and returns
// the mean seconds per step.
func timeSteps(step func(), warmup, iters int) float64 {
	for range warmup {
		step()
	}
	t := time.Now()
	for range iters {
		step()
	}
	return time.Since(t).Seconds() / float64(iters)
}

// peakRSSMB is the process's peak resident set size in MiB.
func peakRSSMB() float64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return float64(ru.Maxrss) / 1024
}

// finish fills the derived fields.
func (r *Result) finish(stepS, flopsPerStep float64, samples int) {
	r.StepS = stepS
	r.SamplesPerS = float64(samples) / stepS
	r.GFLOPPerStep = flopsPerStep / 1e9
	r.GFLOPS = flopsPerStep / stepS / 1e9
	r.PeakRSSMB = peakRSSMB()
	r.Threads = runtime.GOMAXPROCS(0)
}
