package tboard

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"
)

// Writer appends scalar events to one TensorBoard event file.
type Writer struct {
	f    *os.File
	buf  *bufio.Writer
	path string
}

// NewWriter creates dir if needed and a new event file in it named
// events.out.tfevents.<unix seconds>.<host> (with a ".N" suffix if that
// name is taken), and writes the file_version record.
func NewWriter(dir string) (*Writer, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("tensorboard: %w", err)
	}
	host, err := os.Hostname()
	if err != nil || host == "" {
		host = "localhost"
	}
	now := time.Now()
	base := filepath.Join(dir, "events.out.tfevents."+strconv.FormatInt(now.Unix(), 10)+"."+host)
	path := base
	var f *os.File
	for n := 1; ; n++ {
		f, err = os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if !errors.Is(err, os.ErrExist) || n > 1000 {
			break
		}
		path = base + "." + strconv.Itoa(n)
	}
	if err != nil {
		return nil, fmt.Errorf("tensorboard: %w", err)
	}
	w := &Writer{f: f, buf: bufio.NewWriter(f), path: path}
	if err := WriteRecord(w.buf, FileVersionEvent(seconds(now))); err != nil {
		f.Close()
		return nil, fmt.Errorf("tensorboard: write %s: %w", path, err)
	}
	return w, nil
}

// Path returns the event file's path.
func (w *Writer) Path() string { return w.path }

// Scalar appends one scalar value (stored as float32, as TensorBoard does)
// for tag at step, stamped with wall.
func (w *Writer) Scalar(tag string, step int64, value float64, wall time.Time) error {
	if err := WriteRecord(w.buf, ScalarEvent(seconds(wall), step, tag, float32(value))); err != nil {
		return fmt.Errorf("tensorboard: write %s: %w", w.path, err)
	}
	return nil
}

// Flush writes buffered events to the file.
func (w *Writer) Flush() error {
	if err := w.buf.Flush(); err != nil {
		return fmt.Errorf("tensorboard: write %s: %w", w.path, err)
	}
	return nil
}

// Close flushes, fsyncs and closes the event file.
func (w *Writer) Close() error {
	err := w.Flush()
	if serr := w.f.Sync(); err == nil && serr != nil {
		err = fmt.Errorf("tensorboard: sync %s: %w", w.path, serr)
	}
	if cerr := w.f.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("tensorboard: close %s: %w", w.path, cerr)
	}
	return err
}

// seconds converts a time to fractional Unix seconds.
func seconds(t time.Time) float64 {
	return float64(t.Unix()) + float64(t.Nanosecond())/1e9
}
