package bench

import (
	"math"
	"strings"
	"testing"
)

const fakeCPUInfo = `processor	: 0
vendor_id	: AuthenticAMD
model name	: AMD EPYC 7B13
cpu MHz		: 2445.404
flags		: fpu sse sse2 avx fma avx2 avx512f
processor	: 1
model name	: AMD EPYC 7B13
cpu MHz		: 3000.000
flags		: fpu sse sse2 avx fma avx2
`

func TestCPUPeakFormula(t *testing.T) {
	ci := ParseCPUInfo(fakeCPUInfo)
	if ci.Model != "AMD EPYC 7B13" || ci.Vendor != "AuthenticAMD" || ci.MHz != 3000 || !ci.AVX2 || !ci.FMA || !ci.AVX512F {
		t.Fatalf("ParseCPUInfo = %+v", ci)
	}
	intel512 := ci
	intel512.Vendor = "GenuineIntel"
	cases := []struct {
		ci      CPUInfo
		threads int
		want    float64
	}{
		{ci, 2, 2 * 2 * 8 * 2 * 3.0}, // 192: AMD's AVX-512 has the AVX2 peak
		{ci, 1, 96},
		{intel512, 4, 4 * 2 * 16 * 2 * 3.0},
	}
	for _, c := range cases {
		p := CPUPeak(c.ci, c.threads)
		if math.Abs(p.GFLOPS-c.want) > 1e-9 {
			t.Errorf("CPUPeak(%s, %d threads) = %v, want %v", c.ci.Vendor, c.threads, p.GFLOPS, c.want)
		}
		if !strings.HasPrefix(p.Note, "computed") || !strings.HasPrefix(p.Device, "cpu: AMD EPYC 7B13") {
			t.Errorf("peak %+v", p)
		}
	}
	// A measured FMA rate above the nominal peak replaces it; below, not.
	nominal := CPUPeak(ci, 1)
	if p := nominal.Measured(120, "AVX2+FMA", 1); p.GFLOPS != 120 || !strings.HasPrefix(p.Note, "measured") {
		t.Errorf("boosted measurement gave %+v", p)
	}
	if p := nominal.Measured(50, "AVX2+FMA", 1); p != nominal {
		t.Errorf("lower measurement gave %+v, want %+v", p, nominal)
	}
	// No FMA: 4 lanes.
	noFMA := ParseCPUInfo("model name : Old\ncpu MHz : 2000\nflags : sse sse2 avx\n")
	if p := CPUPeak(noFMA, 1); p.GFLOPS != 2*4*2*2.0 {
		t.Errorf("no-FMA peak = %v, want 32", p.GFLOPS)
	}
	// Clock from the model name when there is no "cpu MHz".
	intel := ParseCPUInfo("model name : Intel(R) Xeon(R) CPU E5-2680 v4 @ 2.40GHz\nflags : avx2 fma\n")
	if intel.MHz != 2400 || intel.ClockSrc != "model name" {
		t.Errorf("Intel clock = %v from %q, want 2400 from model name", intel.MHz, intel.ClockSrc)
	}
	// Unknown clock: no peak, and a note saying what to do.
	if p := CPUPeak(ParseCPUInfo("flags : avx2 fma\n"), 2); p.GFLOPS != 0 || !strings.Contains(p.Note, "--peak-gflops") {
		t.Errorf("unknown clock gave %+v", p)
	}
}

func TestBackendPeakAndOverride(t *testing.T) {
	cpu := CPUPeak(ParseCPUInfo(fakeCPUInfo), 2)
	cpuCalls := 0
	host := func() Peak { cpuCalls++; return cpu }
	gpu := BackendPeak("xla:cuda - /opt/pjrt_c_api_cuda_plugin.so [1 device(s)]", host, false)
	if gpu.GFLOPS != H200FP32GFLOPS || !strings.HasPrefix(gpu.Note, "assumed") {
		t.Errorf("cuda backend peak %+v, want the assumed H200 fp32 peak", gpu)
	}
	if p := BackendPeak("xla:cuda - plugin", host, true); p.GFLOPS != H200BF16GFLOPS {
		t.Errorf("cuda bf16 peak %v, want %v", p.GFLOPS, H200BF16GFLOPS)
	}
	if cpuCalls != 0 {
		t.Errorf("a CUDA backend measured the host CPU's peak %d times", cpuCalls)
	}
	goBackend := BackendPeak("Go Portable Compute Backend (parallelism=2)", host, true)
	if goBackend.GFLOPS != cpu.GFLOPS || !strings.Contains(goBackend.Device, cpu.Device) {
		t.Errorf("go backend peak %+v, want the CPU's %+v", goBackend, cpu)
	}
	if p := BackendPeak("mystery accelerator", host, false); p.GFLOPS != 0 {
		t.Errorf("unknown backend peak %v, want 0", p.GFLOPS)
	}
	// --peak-gflops wins over computed and assumed peaks; 0 keeps them.
	if p := gpu.Override(989000); p.GFLOPS != 989000 || p.Note != "--peak-gflops" || p.Device != gpu.Device {
		t.Errorf("override gave %+v", p)
	}
	if p := cpu.Override(0); p != cpu {
		t.Errorf("Override(0) changed the peak: %+v", p)
	}
	r := Result{GFLOPS: 48}
	r.SetPeak(cpu)
	if r.MFU != 0.25 || r.PeakGFLOPS != 192 {
		t.Errorf("MFU = %v of %v, want 0.25 of 192", r.MFU, r.PeakGFLOPS)
	}
	r.SetPeak(r.Peak().Override(96))
	if r.MFU != 0.5 || r.Device != cpu.Device {
		t.Errorf("after override MFU = %v (%q), want 0.5", r.MFU, r.Device)
	}
}
