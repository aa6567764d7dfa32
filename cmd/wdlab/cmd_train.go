package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"golang.org/x/term"

	"wdlab/internal/config"
	"wdlab/internal/probe"
	"wdlab/internal/runio"
	"wdlab/internal/train"
)

func init() {
	commands["train"] = command{"train a model from a YAML config into a run directory", runTrain}
}

// stringList is a repeatable string flag.
type stringList []string

func (s *stringList) String() string     { return fmt.Sprint(*s) }
func (s *stringList) Set(v string) error { *s = append(*s, v); return nil }

func runTrain(args []string) error {
	fs := newFlags("train", "", "c", "out")
	cfgPath := fs.String("c", "", "config YAML `FILE`")
	out := fs.String("out", "", "`DIR` of the run to write")
	resume := fs.Bool("resume", false, "continue the run in --out from its last checkpoint")
	quiet := fs.Bool("q", false, "no progress output")
	executor := fs.String("executor", "", "override the config's executor (`native|gomlx|dnnl`)")
	backend := fs.String("gomlx-backend", "", "GoMLX backend `SPEC`: go or xla:/abs/path/plugin.so")
	var sets stringList
	fs.Var(&sets, "set", "`key=value` override (repeatable)")
	pos, err := fs.parse(args)
	if err != nil {
		return err
	}
	if *cfgPath == "" || *out == "" || len(pos) > 0 {
		return fs.fail()
	}
	if *executor != "" {
		sets = append(sets, "executor="+*executor)
	}
	if *backend != "" {
		sets = append(sets, "gomlx_backend="+*backend)
	}
	cfg, err := config.Load(*cfgPath, sets)
	if err != nil {
		return err
	}
	// SIGINT/SIGTERM stop the run after the current step with a checkpoint;
	// a second signal ends the process at once.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() { <-ctx.Done(); stop() }()
	// The paper's instruments (package probe: jac_norm, hess_trace,
	// noise_scale, fine-tuning copies, snapshot ensembles) run as hooks,
	// switched on by the probe.* config keys.
	opts := train.Options{Resume: *resume, Stop: ctx.Done(), Executors: executors, Hooks: []train.HookFactory{probe.NewHook}}
	if !*quiet {
		opts.Log = os.Stderr
		opts.Bar = term.IsTerminal(int(os.Stderr.Fd()))
	}
	sum, err := trainAny(cfg, *out, opts)
	if err != nil {
		return err
	}
	if sum.Status == runio.StatusInterrupted {
		return exitError{130, fmt.Sprintf("%s: interrupted after %d steps, checkpoint saved; continue with: wdlab train ... --out %s --resume", *out, sum.Steps, *out)}
	}
	done := fmt.Sprintf("%d steps", sum.Steps) // LM runs count steps only
	if sum.Epochs > 0 {
		done = fmt.Sprintf("%d epochs, %d steps", sum.Epochs, sum.Steps)
	}
	fmt.Printf("%s: %s after %s, %.1fs", *out, sum.Status, done, sum.WallS)
	for _, k := range []string{"test_err", "ema_test_err", "val_loss"} {
		if v, ok := sum.Final[k]; ok {
			fmt.Printf(", %s=%.4f", k, v)
		}
	}
	fmt.Println()
	return nil
}

// trainAny dispatches to the vision or LM trainer by model family.
func trainAny(cfg config.Config, out string, opts train.Options) (*train.Summary, error) {
	if cfg.Model.Arch == "gpt" {
		return train.RunLM(cfg, out, opts)
	}
	return train.Run(cfg, out, opts)
}
