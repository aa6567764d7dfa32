package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
)

// cmdFlags is the flag set of one wdlab command. Its usage line and its -h
// help are generated from the flags it defines; a back-quoted word in a
// flag's usage text names the flag's value (flag.UnquoteUsage).
type cmdFlags struct {
	*flag.FlagSet
	args     string   // positional arguments of the usage line, e.g. "DIR"
	required []string // flags the command cannot run without, shown unbracketed
}

// newFlags starts the flag set of `wdlab name`, whose positional arguments
// read args in the usage line and which needs the flags named by required.
func newFlags(name, args string, required ...string) *cmdFlags {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors become one line on stderr (main)
	return &cmdFlags{FlagSet: fs, args: args, required: required}
}

// usage is the command's one-line synopsis, e.g.
// "usage: wdlab report DIR [-o DIR]".
func (c *cmdFlags) usage() string {
	parts := []string{"usage: wdlab", c.Name()}
	if c.args != "" {
		parts = append(parts, c.args)
	}
	for _, n := range c.required {
		parts = append(parts, flagSyntax(c.Lookup(n)))
	}
	c.VisitAll(func(f *flag.Flag) {
		if !slices.Contains(c.required, f.Name) {
			parts = append(parts, "["+flagSyntax(f)+"]")
		}
	})
	return strings.Join(parts, " ")
}

// flagSyntax writes a flag as typed: "-c FILE", "--out DIR", "--resume".
func flagSyntax(f *flag.Flag) string {
	s := "--" + f.Name
	if len(f.Name) == 1 {
		s = "-" + f.Name
	}
	if name, _ := flag.UnquoteUsage(f); name != "" {
		s += " " + name
	}
	return s
}

// writeHelp prints the usage line and every flag with its meaning and default.
func (c *cmdFlags) writeHelp(w io.Writer) {
	fmt.Fprintln(w, c.usage())
	header := "\nflags:"
	c.VisitAll(func(f *flag.Flag) {
		if header != "" {
			fmt.Fprintln(w, header)
			header = ""
		}
		_, text := flag.UnquoteUsage(f)
		fmt.Fprintf(w, "  %s\n    \t%s", flagSyntax(f), text)
		switch f.DefValue {
		case "", "false", "0", "[]":
		default:
			fmt.Fprintf(w, " (default %s)", f.DefValue)
		}
		fmt.Fprintln(w)
	})
}

// parse parses flags that may come before, between or after positional
// arguments and returns the positional ones. -h or --help prints the help on
// stdout and returns flag.ErrHelp, which main turns into exit 0; any other
// flag error is a usage error that ends with the usage line.
func (c *cmdFlags) parse(args []string) ([]string, error) {
	var pos []string
	for {
		err := c.Parse(args)
		if errors.Is(err, flag.ErrHelp) {
			c.writeHelp(os.Stdout)
			return nil, err
		}
		if err != nil {
			return nil, usagef("%v (%s)", err, c.usage())
		}
		if c.NArg() == 0 {
			return pos, nil
		}
		pos = append(pos, c.Arg(0))
		args = c.Args()[1:]
	}
}

// parseVerb parses args whose one positional argument must be one of
// verbs (bench resnet|gpt, gomlx check|bench) and returns it.
func (c *cmdFlags) parseVerb(args []string, verbs ...string) (string, error) {
	pos, err := c.parse(args)
	if err != nil {
		return "", err
	}
	if len(pos) != 1 || !slices.Contains(verbs, pos[0]) {
		return "", c.fail()
	}
	return pos[0], nil
}

// fail is the usage error for arguments the flag set cannot judge (a
// missing required flag, a wrong number of positional arguments).
func (c *cmdFlags) fail() error { return usagef("%s", c.usage()) }

// isSet reports whether the command line set the flag named name.
func (c *cmdFlags) isSet(name string) bool {
	set := false
	c.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}

// subcommand is one verb of a command group such as `wdlab exp run`.
type subcommand struct {
	name, summary string
	run           func(args []string) error
}

// runGroup dispatches args to the group's subcommand named by args[0]; -h,
// --help or help lists the subcommands on stdout (exit 0).
func runGroup(group string, subs []subcommand, args []string) error {
	names := make([]string, len(subs))
	for i, s := range subs {
		names[i] = s.name
	}
	usage := fmt.Sprintf("usage: wdlab %s %s [flags] (wdlab %s SUBCOMMAND -h lists its flags)", group, strings.Join(names, "|"), group)
	if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "help") {
		fmt.Printf("%s\n\nsubcommands:\n", usage)
		for _, s := range subs {
			fmt.Printf("  %-8s %s\n", s.name, s.summary)
		}
		return flag.ErrHelp
	}
	if len(args) == 0 {
		return usagef("%s", usage)
	}
	for _, s := range subs {
		if s.name == args[0] {
			return s.run(args[1:])
		}
	}
	return usagef("unknown %s subcommand %q (%s)", group, args[0], usage)
}
