package bench

import (
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"

	"wdlab/internal/kern"
)

// H200FP32GFLOPS is the NVIDIA H200 SXM's documented dense fp32 peak
// without tensor cores, 67 TFLOP/s. It is assumed for any CUDA/NVIDIA
// backend, since a GoMLX backend's description does not name the GPU.
const H200FP32GFLOPS = 67000

// H200BF16GFLOPS is the NVIDIA H200 SXM's documented dense bf16 tensor-core
// peak (989.4 TFLOP/s; the 1979 figure counts 2:4 sparsity).
const H200BF16GFLOPS = 989400

// Peak is a device's peak fp32 rate, the denominator of MFU.
type Peak struct {
	Device string  // what ran the steps, e.g. "cpu: AMD EPYC, 2 threads, AVX2+FMA, 2445 MHz"
	GFLOPS float64 // peak GFLOP/s; 0 when unknown
	Note   string  // how GFLOPS was obtained: "computed: ...", "assumed: ...", "--peak-gflops" or "unknown: ..."
}

// Override returns p with its rate replaced by gflops when gflops > 0 (the
// --peak-gflops flag); otherwise p unchanged.
func (p Peak) Override(gflops float64) Peak {
	if gflops > 0 {
		p.GFLOPS, p.Note = gflops, "--peak-gflops"
	}
	return p
}

// CPUInfo is what the CPU peak needs from /proc/cpuinfo.
type CPUInfo struct {
	Model    string  // first "model name" (or "Hardware"/"CPU part" on arm64)
	Vendor   string  // first "vendor_id", e.g. "GenuineIntel", "AuthenticAMD"
	MHz      float64 // clock: max "cpu MHz" over cores, else the model name's "@ x.xxGHz", else 0
	ClockSrc string  // where MHz came from
	AVX2     bool    // "avx2" in the flags
	FMA      bool    // "fma" in the flags
	AVX512F  bool    // "avx512f" in the flags
}

// ParseCPUInfo reads the text of /proc/cpuinfo.
func ParseCPUInfo(text string) CPUInfo {
	var ci CPUInfo
	for _, line := range strings.Split(text, "\n") {
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		switch k {
		case "model name", "Hardware":
			if ci.Model == "" {
				ci.Model = v
			}
		case "vendor_id":
			if ci.Vendor == "" {
				ci.Vendor = v
			}
		case "cpu MHz":
			if f, err := strconv.ParseFloat(v, 64); err == nil && f > ci.MHz {
				ci.MHz, ci.ClockSrc = f, "max cpu MHz of /proc/cpuinfo"
			}
		case "flags":
			for _, f := range strings.Fields(v) {
				ci.AVX2 = ci.AVX2 || f == "avx2"
				ci.FMA = ci.FMA || f == "fma"
				ci.AVX512F = ci.AVX512F || f == "avx512f"
			}
		}
	}
	if ci.MHz == 0 {
		// Intel model names end in "@ 2.40GHz".
		if _, after, ok := strings.Cut(ci.Model, "@"); ok {
			s := strings.TrimSuffix(strings.TrimSpace(after), "GHz")
			if f, err := strconv.ParseFloat(s, 64); err == nil && f > 0 {
				ci.MHz, ci.ClockSrc = f*1000, "model name"
			}
		}
	}
	return ci
}

// CPUPeak is the nominal fp32 peak of threads hardware threads of ci:
//
//	threads x 2 FMA pipes x lanes x 2 FLOP (one FMA) x clock GHz
//
// with lanes = 16 on Intel CPUs with AVX-512 (two 512-bit FMA pipes on
// Xeon SP), 8 with AVX2+FMA (AMD's Zen 4 runs AVX-512 on 256-bit pipes,
// so its peak is the AVX2 one), else 4 (128-bit SSE/NEON). Every thread
// is counted with its own pipes, so SMT siblings sharing a core make it an
// upper bound; the clock is the nominal one the kernel reports (a boosting
// core exceeds it: HostCPUPeak measures). GFLOPS is 0 when the clock is
// unknown.
func CPUPeak(ci CPUInfo, threads int) Peak {
	lanes, isa := 4, "no AVX2+FMA"
	switch {
	case ci.AVX512F && ci.Vendor == "GenuineIntel":
		lanes, isa = 16, "AVX-512"
	case ci.AVX2 && ci.FMA:
		lanes, isa = 8, "AVX2+FMA"
	}
	model := ci.Model
	if model == "" {
		model = runtime.GOARCH
	}
	p := Peak{Device: fmt.Sprintf("cpu: %s, %d threads, %s, %.0f MHz", model, threads, isa, ci.MHz)}
	if ci.MHz <= 0 {
		p.Device = fmt.Sprintf("cpu: %s, %d threads, %s", model, threads, isa)
		p.Note = "unknown: no CPU clock found, pass --peak-gflops"
		return p
	}
	p.GFLOPS = float64(threads) * 2 * float64(lanes) * 2 * ci.MHz / 1000
	p.Note = fmt.Sprintf("computed: %d threads x 2 FMA pipes x %d lanes x 2 FLOP x %.3f GHz (%s)", threads, lanes, ci.MHz/1000, ci.ClockSrc)
	return p
}

// Measured returns p raised to a measured FMA rate when that is higher
// (a core boosting above the nominal clock), saying so in the note; a
// lower measurement (a busy machine) leaves the nominal peak.
func (p Peak) Measured(gflops float64, isa string, threads int) Peak {
	if gflops > p.GFLOPS {
		p.Note = fmt.Sprintf("measured: FMA loop (%s) on %d threads, above the nominal %.1f GFLOP/s", isa, threads, p.GFLOPS)
		p.GFLOPS = gflops
	}
	return p
}

// HostCPUPeak is the peak of this machine: CPUPeak of /proc/cpuinfo (the
// clock falling back to /sys/devices/system/cpu/cpu0/cpufreq/
// cpuinfo_max_freq when neither "cpu MHz" nor the model name gives one;
// threads = min(GOMAXPROCS, NumCPU)), raised to the FMA rate measured on
// those threads for 0.2 s (kern.FMAPeak) when that is higher.
func HostCPUPeak() Peak {
	text, _ := os.ReadFile("/proc/cpuinfo")
	ci := ParseCPUInfo(string(text))
	if ci.MHz == 0 {
		if b, err := os.ReadFile("/sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq"); err == nil {
			if khz, err := strconv.ParseFloat(strings.TrimSpace(string(b)), 64); err == nil && khz > 0 {
				ci.MHz, ci.ClockSrc = khz/1000, "cpufreq cpuinfo_max_freq"
			}
		}
	}
	threads := min(runtime.GOMAXPROCS(0), runtime.NumCPU())
	p := CPUPeak(ci, threads)
	if p.GFLOPS == 0 {
		return p
	}
	gflops, isa := kern.FMAPeak(threads, 200*time.Millisecond)
	return p.Measured(gflops, isa, threads)
}

// BackendPeak is the peak of the GoMLX backend described by desc (its
// Description()): for CUDA/NVIDIA backends the assumed H200 peak
// (H200BF16GFLOPS when bf16, else H200FP32GFLOPS), for the pure-Go and XLA
// CPU backends cpu() (the host's peak, HostCPUPeak, whose FMA measurement
// only CPU backends pay for: bf16 computes in fp32 there), otherwise
// unknown (0).
func BackendPeak(desc string, cpu func() Peak, bf16 bool) Peak {
	l := strings.ToLower(desc)
	switch {
	case (strings.Contains(l, "cuda") || strings.Contains(l, "nvidia") || strings.Contains(l, "h200") || strings.Contains(l, "gpu")) && bf16:
		return Peak{Device: desc, GFLOPS: H200BF16GFLOPS, Note: "assumed: NVIDIA H200 SXM dense bf16 tensor-core peak, 989.4 TFLOP/s"}
	case strings.Contains(l, "cuda") || strings.Contains(l, "nvidia") || strings.Contains(l, "h200") || strings.Contains(l, "gpu"):
		return Peak{Device: desc, GFLOPS: H200FP32GFLOPS, Note: "assumed: NVIDIA H200 SXM dense fp32 (non-tensor) peak, 67 TFLOP/s"}
	case strings.HasPrefix(l, "go ") || strings.Contains(l, "cpu"):
		c := cpu()
		return Peak{Device: desc + " on " + c.Device, GFLOPS: c.GFLOPS, Note: c.Note}
	}
	return Peak{Device: desc, Note: "unknown: device not recognised, pass --peak-gflops"}
}
