package main

import (
	"strings"
	"testing"
)

// TestHelpListsFlagsAndExitsZero checks that -h and --help on every command
// print the usage line and each flag with its default on stdout, exit 0.
func TestHelpListsFlagsAndExitsZero(t *testing.T) {
	cases := []struct {
		args []string
		want []string // substrings of stdout
	}{
		{[]string{"-h"}, []string{"usage: wdlab COMMAND", "train", "sweep"}},
		{[]string{"train", "-h"}, []string{"usage: wdlab train -c FILE --out DIR [", "--resume", "--set key=value"}},
		{[]string{"train", "--help"}, []string{"usage: wdlab train -c FILE --out DIR ["}},
		{[]string{"exp", "-h"}, []string{"usage: wdlab exp list|run", "  run "}},
		{[]string{"exp", "run", "-h"}, []string{"usage: wdlab exp run NAME --out DIR [", "--scale tiny|small|paper", "(default tiny)", "--index I"}},
		{[]string{"exp", "list", "--help"}, []string{"usage: wdlab exp list"}},
		{[]string{"sweep", "-h"}, []string{"usage: wdlab sweep -c FILE --out DIR [", "--workers N", "--emit slurm|k8s"}},
		{[]string{"bench", "-h"}, []string{"usage: wdlab bench resnet|gpt [", "--iters N", "(default 5)"}},
		{[]string{"data", "-h"}, []string{"usage: wdlab data prepare [", "(default 0.1)"}},
		{[]string{"gomlx", "check", "-h"}, []string{"usage: wdlab gomlx check|bench [", "(default im2col)"}},
		{[]string{"report", "-h"}, []string{"usage: wdlab report DIR [-o OUTDIR]"}},
		{[]string{"runs", "--help"}, []string{"usage: wdlab runs ls|show|export|tb", "  export "}},
		{[]string{"runs", "ls", "-h"}, []string{"usage: wdlab runs ls [", "(default .)"}},
		{[]string{"runs", "export", "-h"}, []string{"usage: wdlab runs export --csv ["}},
		{[]string{"runs", "show", "-h"}, []string{"usage: wdlab runs show RUNDIR"}},
		{[]string{"runs", "tb", "-h"}, []string{"usage: wdlab runs tb [DIR]"}},
	}
	for _, c := range cases {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			stdout, stderr, code := wdlab(t, t.TempDir(), c.args...)
			if code != 0 || stderr != "" {
				t.Errorf("exit code %d, stderr %q; want 0 and nothing", code, stderr)
			}
			for _, w := range c.want {
				if !strings.Contains(stdout, w) {
					t.Errorf("stdout lacks %q:\n%s", w, stdout)
				}
			}
		})
	}
}

// TestUsageLineComesFromFlagSet checks the generated synopsis: required
// flags first and unbracketed, the others bracketed with their value names.
func TestUsageLineComesFromFlagSet(t *testing.T) {
	fs := newFlags("demo", "DIR", "out")
	fs.Bool("v", false, "verbose")
	fs.String("out", "", "output `DIR`")
	fs.Int("n", 3, "`N` things")
	const want = "usage: wdlab demo DIR --out DIR [-n N] [-v]"
	if got := fs.usage(); got != want {
		t.Errorf("usage %q, want %q", got, want)
	}
}
