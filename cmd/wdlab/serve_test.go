package main

import (
	"bufio"
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// wdlab serve lists a trained run over HTTP and stops cleanly on SIGINT.
func TestServeCommand(t *testing.T) {
	dir := trainTiny(t, "runs/a")
	exe, err := os.Executable()
	must(t, err)
	cmd := exec.Command(exe, "serve", "runs", "--addr", "127.0.0.1:0")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), cliEnv+"=1")
	out, err := cmd.StdoutPipe()
	must(t, err)
	must(t, cmd.Start())
	defer cmd.Process.Kill()
	line, err := bufio.NewReader(out).ReadString('\n')
	must(t, err)
	url := regexp.MustCompile(`http://127\.0\.0\.1:\d+/`).FindString(line)
	if url == "" {
		t.Fatalf("no loopback URL in %q", line)
	}
	resp, err := http.Get(url + "api/runs")
	must(t, err)
	var body struct{ Runs []struct{ ID, Status string } }
	must(t, json.NewDecoder(resp.Body).Decode(&body))
	resp.Body.Close()
	if len(body.Runs) != 1 || body.Runs[0].ID != "a" || body.Runs[0].Status != "completed" {
		t.Errorf("runs %+v", body.Runs)
	}
	must(t, cmd.Process.Signal(os.Interrupt))
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("exit after SIGINT: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not stop on SIGINT")
	}
}

func TestServeBadInput(t *testing.T) {
	dir := t.TempDir()
	file := writeFile(t, dir, "f.txt", "x")
	for _, args := range [][]string{
		{"serve"},
		{"serve", filepath.Join(dir, "missing")},
		{"serve", file},
		{"serve", dir, "--addr", "not-an-address"},
		{"serve", dir, "--port", "1"},
	} {
		_, stderr, code := wdlab(t, dir, args...)
		if code != 2 || strings.Count(strings.TrimSpace(stderr), "\n") != 0 {
			t.Errorf("%v: exit %d, stderr %q", args, code, stderr)
		}
	}
}
