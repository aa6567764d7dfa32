package data

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"
)

// npyBytes encodes a .npy file as numpy.save does: magic, version, header
// length, the dict padded with spaces to a multiple of 64 bytes ending in a
// newline, then data. major is 1 or 2.
func npyBytes(major byte, descr string, shape []int, data []byte) []byte {
	dims := make([]string, len(shape))
	for i, d := range shape {
		dims[i] = fmt.Sprint(d)
	}
	tuple := "(" + strings.Join(dims, ", ") + ")"
	if len(shape) == 1 {
		tuple = "(" + dims[0] + ",)"
	}
	return npyRaw(major, fmt.Sprintf("{'descr': '%s', 'fortran_order': False, 'shape': %s, }", descr, tuple), data)
}

// npyRaw encodes a .npy file with the given dict text.
func npyRaw(major byte, dict string, data []byte) []byte {
	lenBytes := 2
	if major != 1 {
		lenBytes = 4
	}
	pre := 8 + lenBytes
	pad := 64 - (pre+len(dict)+1)%64
	if pad == 64 {
		pad = 0
	}
	header := dict + strings.Repeat(" ", pad) + "\n"
	b := append([]byte(npyMagic), major, 0)
	if major == 1 {
		b = binary.LittleEndian.AppendUint16(b, uint16(len(header)))
	} else {
		b = binary.LittleEndian.AppendUint32(b, uint32(len(header)))
	}
	return append(append(b, header...), data...)
}

func TestReadNPYHeaderKnownAnswers(t *testing.T) {
	cases := []struct {
		in    []byte
		descr string
		shape []int
		size  int
	}{
		{npyBytes(1, "|u1", []int{2, 32, 32, 3}, nil), "|u1", []int{2, 32, 32, 3}, 1},
		{npyBytes(2, "<i8", []int{5}, nil), "<i8", []int{5}, 8},
		{npyBytes(1, "<i4", []int{}, nil), "<i4", []int{}, 4},
		{npyRaw(1, `{"shape":(3L,4L),"fortran_order":False,"descr":"<u8"}`, nil), "<u8", []int{3, 4}, 8},
		{npyRaw(3, "{'descr': '|i1', 'fortran_order': False, 'shape': (0,)}", nil), "|i1", []int{0}, 1},
	}
	for i, c := range cases {
		r := bytes.NewReader(append(c.in, 0xAB))
		h, err := ReadNPYHeader(r)
		if err != nil {
			t.Fatalf("case %d: %v", i, err)
		}
		if h.Descr != c.descr || !slices.Equal(h.Shape, c.shape) || h.ItemSize != c.size || h.HeaderLen != len(c.in) {
			t.Fatalf("case %d: got %+v, want %s %v item %d header %d", i, h, c.descr, c.shape, c.size, len(c.in))
		}
		if next, _ := r.ReadByte(); next != 0xAB {
			t.Fatalf("case %d: reader not left at the data (next byte %#x)", i, next)
		}
	}
	if h, _ := ReadNPYHeader(bytes.NewReader(npyBytes(1, "|u1", []int{2, 3}, nil))); h.Elems() != 6 {
		t.Fatalf("Elems = %d, want 6", h.Elems())
	}
	if (NPYHeader{}).Elems() != 1 {
		t.Fatal("a scalar has one element")
	}
}

func TestReadNPYHeaderErrors(t *testing.T) {
	good := npyBytes(1, "|u1", []int{2}, nil)
	dict := func(s string) []byte { return npyRaw(1, s, nil) }
	cases := []struct {
		name string
		in   []byte
		want string
	}{
		{"empty", nil, "unexpected EOF"},
		{"magic", append([]byte("\x93NUMPX"), good[6:]...), "bad magic"},
		{"version", append(append([]byte(npyMagic), 4, 0), good[8:]...), "version 4.0"},
		{"truncated", good[:20], "unexpected EOF"},
		{"huge v2", append(append([]byte(npyMagic), 2, 0), 0, 0, 0, 1), "exceeds"},
		{"fortran", dict("{'descr': '|u1', 'fortran_order': True, 'shape': (2,)}"), "fortran_order True is not supported"},
		{"float", dict("{'descr': '<f4', 'fortran_order': False, 'shape': (2,)}"), `dtype "<f4" is not supported`},
		{"big endian", dict("{'descr': '>i8', 'fortran_order': False, 'shape': (2,)}"), `dtype ">i8"`},
		{"missing key", dict("{'descr': '|u1', 'shape': (2,)}"), "want the keys"},
		{"extra key", dict("{'descr': '|u1', 'fortran_order': False, 'shape': (2,), 'x': 1}"), `unexpected key "x"`},
		{"repeated", dict("{'descr': '|u1', 'descr': '|u1', 'shape': (2,)}"), "repeated"},
		{"negative", dict("{'descr': '|u1', 'fortran_order': False, 'shape': (-2,)}"), "non-negative"},
		{"overflow", dict("{'descr': '|u1', 'fortran_order': False, 'shape': (2000000000, 2000000000)}"), "more than"},
		{"not a dict", dict("['descr']"), "want a dict"},
		{"trailing", dict("{'descr': '|u1', 'fortran_order': False, 'shape': (2,)} x"), "trailing"},
		{"unterminated", dict("{'descr: '|u1'}"), "want ':'"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ReadNPYHeader(bytes.NewReader(c.in))
			wantErr(t, err, c.want)
		})
	}
}

func TestReadNPYInts(t *testing.T) {
	data := []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 7, 0, 0, 0, 0, 0, 0, 0}
	h := NPYHeader{Descr: "<i8", ItemSize: 8}
	got, err := readNPYInts(bytes.NewReader(data), h, 2)
	if err != nil || !slices.Equal(got, []int64{-1, 7}) {
		t.Fatalf("<i8: %v %v, want [-1 7]", got, err)
	}
	h = NPYHeader{Descr: "|u1", ItemSize: 1}
	if got, _ = readNPYInts(bytes.NewReader([]byte{200, 3}), h, 2); !slices.Equal(got, []int64{200, 3}) {
		t.Fatalf("|u1: %v", got)
	}
	h = NPYHeader{Descr: "|i1", ItemSize: 1}
	if got, _ = readNPYInts(bytes.NewReader([]byte{200}), h, 1); got[0] != -56 {
		t.Fatalf("|i1: %v", got)
	}
	_, err = readNPYInts(io.LimitReader(bytes.NewReader(data), 12), NPYHeader{Descr: "<i8", ItemSize: 8}, 2)
	wantErr(t, err, "element 1 of 2")
}
