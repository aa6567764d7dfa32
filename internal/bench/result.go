package bench

import (
	"runtime"
	"strings"
	"syscall"
	"time"

	"wdlab/internal/kern"
)

// Result is one benchmark measurement (printed as JSON by `wdlab bench`).
type Result struct {
	Bench        string  `json:"bench"`
	Executor     string  `json:"executor"`            // "native", "gomlx" or "dnnl"
	Backend      string  `json:"backend,omitempty"`   // the GoMLX backend spec (gomlx only)
	Precision    string  `json:"precision,omitempty"` // gpt: "fp32" or "bf16"
	Batch        int     `json:"batch"`
	StepS        float64 `json:"step_s"`
	SamplesPerS  float64 `json:"samples_per_s"`
	GFLOPPerStep float64 `json:"train_gflop_per_step"`
	GFLOPS       float64 `json:"gflops"`
	PeakRSSMB    float64 `json:"peak_rss_mb"`
	Threads      int     `json:"threads"`
	Params       int     `json:"params"`
	Device       string  `json:"device"`      // what ran the steps (see Peak)
	PeakGFLOPS   float64 `json:"peak_gflops"` // the device's peak fp32 GFLOP/s; 0 when unknown
	MFU          float64 `json:"mfu"`         // GFLOPS / PeakGFLOPS (model FLOPs utilisation); 0 when the peak is unknown
	PeakNote     string  `json:"peak_note"`   // how PeakGFLOPS was obtained (Peak.Note)
	// Kernels names the kernels an executor ran: oneDNN's "primitive:
	// implementation xN", the native engine's "gemm: <microkernels>".
	Kernels []string `json:"kernels,omitempty"`
}

// nativeKernels is the native engine's Kernels entry: the GEMM
// microkernels it chooses from on this machine.
func nativeKernels() []string {
	return []string{"gemm: " + strings.Join(kern.GemmKernels(), ", ")}
}

// SetPeak records the device and its peak and derives MFU from GFLOPS.
func (r *Result) SetPeak(p Peak) {
	r.Device, r.PeakGFLOPS, r.PeakNote, r.MFU = p.Device, p.GFLOPS, p.Note, 0
	if p.GFLOPS > 0 {
		r.MFU = r.GFLOPS / p.GFLOPS
	}
}

// Peak returns the device and peak recorded by SetPeak.
func (r *Result) Peak() Peak { return Peak{Device: r.Device, GFLOPS: r.PeakGFLOPS, Note: r.PeakNote} }

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
