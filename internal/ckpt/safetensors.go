package ckpt

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"sort"

	"wdlab/internal/runio"
)

// Tensor is one named float32 tensor.
type Tensor struct {
	Shape []int
	Data  []float32
}

// File is the content of a safetensors file.
type File struct {
	Tensors  map[string]Tensor
	Metadata map[string]string
}

type entry struct {
	DType   string `json:"dtype"`
	Shape   []int  `json:"shape"`
	Offsets [2]int `json:"data_offsets"`
}

// Encode serialises f (tensors sorted by name, so output is deterministic).
func Encode(f File) ([]byte, error) {
	names := make([]string, 0, len(f.Tensors))
	for n := range f.Tensors {
		names = append(names, n)
	}
	sort.Strings(names)
	header := map[string]any{}
	if len(f.Metadata) > 0 {
		header["__metadata__"] = f.Metadata
	}
	off := 0
	for _, n := range names {
		t := f.Tensors[n]
		if numel(t.Shape) != len(t.Data) {
			return nil, fmt.Errorf("safetensors: %s has shape %v but %d values", n, t.Shape, len(t.Data))
		}
		header[n] = entry{DType: "F32", Shape: t.Shape, Offsets: [2]int{off, off + 4*len(t.Data)}}
		off += 4 * len(t.Data)
	}
	hj, err := json.Marshal(header)
	if err != nil {
		return nil, err
	}
	for len(hj)%8 != 0 {
		hj = append(hj, ' ')
	}
	out := make([]byte, 8, 8+len(hj)+off)
	binary.LittleEndian.PutUint64(out, uint64(len(hj)))
	out = append(out, hj...)
	for _, n := range names {
		for _, v := range f.Tensors[n].Data {
			out = binary.LittleEndian.AppendUint32(out, math.Float32bits(v))
		}
	}
	return out, nil
}

// Decode parses a safetensors byte slice holding F32 tensors.
func Decode(b []byte) (File, error) {
	if len(b) < 8 {
		return File{}, fmt.Errorf("safetensors: file too short (%d bytes)", len(b))
	}
	hl := binary.LittleEndian.Uint64(b)
	if hl > uint64(len(b)-8) {
		return File{}, fmt.Errorf("safetensors: header length %d exceeds file size %d", hl, len(b))
	}
	raw := map[string]json.RawMessage{}
	if err := json.Unmarshal(b[8:8+hl], &raw); err != nil {
		return File{}, fmt.Errorf("safetensors: bad header: %v", err)
	}
	data := b[8+hl:]
	f := File{Tensors: map[string]Tensor{}, Metadata: map[string]string{}}
	for name, msg := range raw {
		if name == "__metadata__" {
			if err := json.Unmarshal(msg, &f.Metadata); err != nil {
				return File{}, fmt.Errorf("safetensors: bad metadata: %v", err)
			}
			continue
		}
		var e entry
		if err := json.Unmarshal(msg, &e); err != nil {
			return File{}, fmt.Errorf("safetensors: tensor %s: %v", name, err)
		}
		if e.DType != "F32" {
			return File{}, fmt.Errorf("safetensors: tensor %s has dtype %s, want F32", name, e.DType)
		}
		n := numel(e.Shape)
		lo, hi := e.Offsets[0], e.Offsets[1]
		if n < 0 || lo < 0 || hi < lo || hi > len(data) || hi-lo != 4*n {
			return File{}, fmt.Errorf("safetensors: tensor %s: offsets %v do not fit shape %v in %d data bytes", name, e.Offsets, e.Shape, len(data))
		}
		vals := make([]float32, n)
		for i := range vals {
			vals[i] = math.Float32frombits(binary.LittleEndian.Uint32(data[lo+4*i:]))
		}
		f.Tensors[name] = Tensor{Shape: e.Shape, Data: vals}
	}
	return f, nil
}

// Write encodes f and writes it atomically to path.
func Write(path string, f File) error {
	b, err := Encode(f)
	if err != nil {
		return err
	}
	return runio.WriteFileAtomic(path, b, 0o644)
}

// Read loads a safetensors file.
func Read(path string) (File, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return File{}, err
	}
	f, err := Decode(b)
	if err != nil {
		return File{}, fmt.Errorf("%s: %w", path, err)
	}
	return f, nil
}

func numel(shape []int) int {
	n := 1
	for _, d := range shape {
		if d < 0 {
			return -1
		}
		n *= d
	}
	return n
}
