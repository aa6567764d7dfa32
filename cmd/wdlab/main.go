// Command wdlab trains the models of "Why Do We Need Weight Decay in Modern
// Deep Learning?", measures what the paper measures, sweeps lr x wd grids and
// renders the paper's figures from its own runs.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
)

// command is one wdlab verb. run returns a usageError for bad input (exit 2)
// and flag.ErrHelp after printing its help for -h or --help (exit 0).
type command struct {
	summary string
	run     func(args []string) error
}

// commands is filled by the cmd_*.go files' init functions.
var commands = map[string]command{}

// usageError marks errors caused by bad input: they exit with code 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

// exitError ends the process with its code (e.g. 130 for a run stopped by
// SIGINT) after printing its message.
type exitError struct {
	code int
	msg  string
}

func (e exitError) Error() string { return e.msg }

// usagef builds a usageError.
func usagef(format string, a ...any) error { return usageError{fmt.Sprintf(format, a...)} }

func main() {
	if len(os.Args) < 2 {
		printUsage(os.Stderr)
		os.Exit(2)
	}
	if os.Args[1] == "-h" || os.Args[1] == "--help" || os.Args[1] == "help" {
		printUsage(os.Stdout)
		return
	}
	cmd, ok := commands[os.Args[1]]
	if !ok {
		fmt.Fprintf(os.Stderr, "wdlab: unknown command %q (run 'wdlab help')\n", os.Args[1])
		os.Exit(2)
	}
	if err := cmd.run(os.Args[2:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return // the command printed its help
		}
		fmt.Fprintf(os.Stderr, "wdlab %s: %v\n", os.Args[1], err)
		var ue usageError
		if errors.As(err, &ue) || isInputError(err) {
			os.Exit(2)
		}
		var ee exitError
		if errors.As(err, &ee) {
			os.Exit(ee.code)
		}
		os.Exit(1)
	}
}

// printUsage lists the commands on w.
func printUsage(w io.Writer) {
	fmt.Fprintln(w, "usage: wdlab COMMAND [flags] (wdlab COMMAND -h lists its flags)\n\ncommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-8s %s\n", n, commands[n].summary)
	}
}
