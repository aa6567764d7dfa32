package sweep

import (
	"reflect"
	"testing"
	"time"
)

func TestResourcesSet(t *testing.T) {
	var r Resources
	for _, kv := range [][2]string{{"cpus", "4"}, {"mem", "1536M"}, {"gpus", "0"}, {"gpus", "2"}, {"time", "90m"},
		{"grace", "30s"}, {"partition", "gpu-a100"}, {"account", "proj_1"}, {"sbatch", "--qos=high"},
		{"sbatch", "-C a100"}, {"image", "ghcr.io/x/wdlab:v1"}, {"claim", "runs"}} {
		if err := r.Set(kv[0], kv[1]); err != nil {
			t.Fatalf("Set(%s, %s): %v", kv[0], kv[1], err)
		}
	}
	want := Resources{CPUs: 4, MemMiB: 1536, GPUs: 2, Time: 90 * time.Minute, Grace: 30 * time.Second, Partition: "gpu-a100",
		Account: "proj_1", SBatch: []string{"--qos=high", "-C a100"}, Image: "ghcr.io/x/wdlab:v1", Claim: "runs"}
	if !equalResources(r, want) {
		t.Errorf("got %+v\nwant %+v", r, want)
	}
	for in, mib := range map[string]int{"16G": 16384, "16g": 16384, "2T": 2 << 20, "2048K": 2, "700": 700} {
		var m Resources
		if err := m.Set("mem", in); err != nil || m.MemMiB != mib {
			t.Errorf("mem %s: %d MiB %v, want %d", in, m.MemMiB, err, mib)
		}
	}
	for _, kv := range [][2]string{{"cpus", "0"}, {"cpus", "x"}, {"gpus", "-1"}, {"mem", "16GB"}, {"mem", "512K"},
		{"time", "1.5s"}, {"time", "0s"}, {"grace", "soon"}, {"partition", "a b"}, {"account", ""},
		{"sbatch", "constraint=a100"}, {"claim", "My_Claim"}, {"sbatch", "--x\n#SBATCH --y"}, {"nodes", "2"}} {
		var bad Resources
		if err := bad.Set(kv[0], kv[1]); err == nil {
			t.Errorf("Set(%q, %q) accepted", kv[0], kv[1])
		}
	}
}

func equalResources(a, b Resources) bool { return reflect.DeepEqual(a, b) }

func TestResourcesMergeAndGrace(t *testing.T) {
	file := Resources{CPUs: 2, MemMiB: 100, Partition: "p", SBatch: []string{"--a"}}
	flags := Resources{CPUs: 8, Time: time.Hour, SBatch: []string{"--b"}}
	got := file.Merge(flags)
	want := Resources{CPUs: 8, MemMiB: 100, Time: time.Hour, Partition: "p", SBatch: []string{"--a", "--b"}}
	if !equalResources(got, want) {
		t.Errorf("merge %+v, want %+v", got, want)
	}
	for _, c := range []struct {
		r    Resources
		want time.Duration
	}{{Resources{}, 2 * time.Minute}, {Resources{Grace: 10 * time.Minute}, 10 * time.Minute},
		{Resources{Time: 3 * time.Minute}, 90 * time.Second}, {Resources{Time: time.Hour, Grace: time.Second}, time.Second}} {
		if g := c.r.grace(); g != c.want {
			t.Errorf("grace of %+v = %v, want %v", c.r, g, c.want)
		}
	}
}

func TestParseResources(t *testing.T) {
	p := writeSweep(t, "base: base.yaml\ngrid:\n  optim.lr: [0.1]\nresources:\n  gpus: 1\n  sbatch: --exclusive\n")
	sw, err := Load(p)
	if err != nil || sw.Resources.GPUs != 1 || len(sw.Resources.SBatch) != 1 {
		t.Fatalf("%+v %v", sw, err)
	}
	for _, bad := range []string{"resources: [1]\n", "resources:\n  gpus: 1\n  gpus: 2\n", "resources:\n  mem: lots\n",
		"resources:\n  cpus: [1, 2]\n", "resources:\n  nodes: 2\n"} {
		if _, err := Parse([]byte("base: base.yaml\ngrid:\n  optim.lr: [0.1]\n"+bad), p); err == nil {
			t.Errorf("accepted %q", bad)
		}
	}
}
