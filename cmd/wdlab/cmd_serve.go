package main

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"

	"wdlab/internal/serve"
)

func init() {
	commands["serve"] = command{"browse the runs under a directory in a live local web app", runServe}
}

func runServe(args []string) error {
	fs := newFlags("serve", "DIR")
	addr := fs.String("addr", "127.0.0.1:8080", "listen `ADDR` (loopback by default: the app has no authentication)")
	pos, err := fs.parse(args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return fs.fail()
	}
	srv, err := serve.New(pos[0])
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return err
		}
		return usagef("%v", err)
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return usagef("--addr %s: %v", *addr, err)
	}
	fmt.Printf("serving %s at http://%s/ (Ctrl-C stops)\n", pos[0], ln.Addr())
	hs := &http.Server{Handler: srv}
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt, syscall.SIGTERM)
	go func() { <-stop; hs.Close() }()
	if err := hs.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
