package data

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// npyMagic starts every NumPy .npy file.
const npyMagic = "\x93NUMPY"

// npyMaxHeader bounds the header length read from a file (NumPy itself
// refuses headers over 10000 bytes by default).
const npyMaxHeader = 1 << 16

// npyMaxElems bounds the element count a header may declare.
const npyMaxElems = 1 << 40

// NPYHeader is the parsed header of a NumPy .npy array: its dtype
// descriptor (e.g. "|u1", "<i8"), its C-order shape and the byte size of one
// element. The array data follows the header.
type NPYHeader struct {
	Descr     string
	Shape     []int
	ItemSize  int
	HeaderLen int // bytes from the start of the file to the data
}

// Elems returns the number of elements, the product of Shape (1 for a scalar).
func (h NPYHeader) Elems() int {
	n := 1
	for _, d := range h.Shape {
		n *= d
	}
	return n
}

// npyItemSize maps the supported little-endian integer descriptors to their
// element size.
var npyItemSize = map[string]int{
	"|u1": 1, "<u1": 1, "|i1": 1, "<i1": 1,
	"<u2": 2, "<i2": 2, "<u4": 4, "<i4": 4, "<u8": 8, "<i8": 8,
}

// ReadNPYHeader reads and checks a .npy header (format versions 1.0, 2.0 and
// 3.0): the magic string, the header length and the dict with exactly the
// keys descr, fortran_order and shape. It accepts C-order arrays of the
// integer types |u1, |i1, <u2, <i2, <u4, <i4, <u8 and <i8, and leaves r at
// the first data byte.
func ReadNPYHeader(r io.Reader) (NPYHeader, error) {
	var pre [8]byte
	if _, err := io.ReadFull(r, pre[:]); err != nil {
		return NPYHeader{}, fmt.Errorf("npy: header: %w", unexpectedEOF(err))
	}
	if string(pre[:6]) != npyMagic {
		return NPYHeader{}, fmt.Errorf("npy: bad magic %q (not a .npy file)", pre[:6])
	}
	major, minor := pre[6], pre[7]
	var n, lenBytes int
	switch {
	case major == 1 && minor == 0:
		var b [2]byte
		if _, err := io.ReadFull(r, b[:]); err != nil {
			return NPYHeader{}, fmt.Errorf("npy: header length: %w", unexpectedEOF(err))
		}
		n, lenBytes = int(binary.LittleEndian.Uint16(b[:])), 2
	case (major == 2 || major == 3) && minor == 0:
		var b [4]byte
		if _, err := io.ReadFull(r, b[:]); err != nil {
			return NPYHeader{}, fmt.Errorf("npy: header length: %w", unexpectedEOF(err))
		}
		u := binary.LittleEndian.Uint32(b[:])
		if u > npyMaxHeader {
			return NPYHeader{}, fmt.Errorf("npy: header length %d exceeds %d bytes", u, npyMaxHeader)
		}
		n, lenBytes = int(u), 4
	default:
		return NPYHeader{}, fmt.Errorf("npy: unsupported format version %d.%d (want 1.0, 2.0 or 3.0)", major, minor)
	}
	text := make([]byte, n)
	if _, err := io.ReadFull(r, text); err != nil {
		return NPYHeader{}, fmt.Errorf("npy: header of %d bytes: %w", n, unexpectedEOF(err))
	}
	h, err := parseNPYDict(string(text))
	if err != nil {
		return NPYHeader{}, fmt.Errorf("npy: header %q: %w", strings.TrimSpace(string(text)), err)
	}
	h.HeaderLen = 8 + lenBytes + n
	return h, nil
}

// unexpectedEOF turns a clean EOF into io.ErrUnexpectedEOF: a header that
// ends early is truncated, not empty.
func unexpectedEOF(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}

// parseNPYDict parses the Python dict literal of a .npy header, e.g.
// "{'descr': '|u1', 'fortran_order': False, 'shape': (2, 32, 32, 3), }".
func parseNPYDict(s string) (NPYHeader, error) {
	p := &pyLit{s: s}
	if !p.eat('{') {
		return NPYHeader{}, fmt.Errorf("want a dict")
	}
	var (
		h    NPYHeader
		seen = map[string]bool{}
	)
	for !p.eat('}') {
		key, err := p.str()
		if err != nil {
			return NPYHeader{}, err
		}
		if seen[key] {
			return NPYHeader{}, fmt.Errorf("key %q repeated", key)
		}
		seen[key] = true
		if !p.eat(':') {
			return NPYHeader{}, fmt.Errorf("want ':' after %q", key)
		}
		switch key {
		case "descr":
			if h.Descr, err = p.str(); err != nil {
				return NPYHeader{}, err
			}
		case "fortran_order":
			switch {
			case p.word("False"):
			case p.word("True"):
				return NPYHeader{}, fmt.Errorf("fortran_order True is not supported (want a C-order array)")
			default:
				return NPYHeader{}, fmt.Errorf("fortran_order: want False")
			}
		case "shape":
			if h.Shape, err = p.tuple(); err != nil {
				return NPYHeader{}, err
			}
		default:
			return NPYHeader{}, fmt.Errorf("unexpected key %q (want descr, fortran_order, shape)", key)
		}
		if !p.eat(',') && !p.peek('}') {
			return NPYHeader{}, fmt.Errorf("want ',' or '}' after %q", key)
		}
	}
	if rest := strings.TrimSpace(s[p.i:]); rest != "" {
		return NPYHeader{}, fmt.Errorf("trailing %q after the dict", rest)
	}
	if len(seen) != 3 {
		return NPYHeader{}, fmt.Errorf("want the keys descr, fortran_order and shape")
	}
	size, ok := npyItemSize[h.Descr]
	if !ok {
		return NPYHeader{}, fmt.Errorf("dtype %q is not supported (want one of |u1 |i1 <u2 <i2 <u4 <i4 <u8 <i8)", h.Descr)
	}
	h.ItemSize = size
	elems := 1
	for _, d := range h.Shape {
		if d > 0 && elems > npyMaxElems/d {
			return NPYHeader{}, fmt.Errorf("shape %v has more than %d elements", h.Shape, npyMaxElems)
		}
		elems *= d
	}
	return h, nil
}

// pyLit scans the small subset of Python literal syntax .npy headers use.
type pyLit struct {
	s string
	i int
}

// skip skips spaces, tabs and newlines.
func (p *pyLit) skip() {
	for p.i < len(p.s) && strings.IndexByte(" \t\n\r", p.s[p.i]) >= 0 {
		p.i++
	}
}

// peek reports whether the next non-space byte is c.
func (p *pyLit) peek(c byte) bool {
	p.skip()
	return p.i < len(p.s) && p.s[p.i] == c
}

// eat consumes c if it is next.
func (p *pyLit) eat(c byte) bool {
	if p.peek(c) {
		p.i++
		return true
	}
	return false
}

// word consumes the identifier w if it is next.
func (p *pyLit) word(w string) bool {
	p.skip()
	if strings.HasPrefix(p.s[p.i:], w) {
		end := p.i + len(w)
		if end == len(p.s) || !isIdent(p.s[end]) {
			p.i = end
			return true
		}
	}
	return false
}

// isIdent reports whether c can continue a Python identifier.
func isIdent(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// str consumes a quoted string without escapes.
func (p *pyLit) str() (string, error) {
	p.skip()
	if p.i >= len(p.s) || (p.s[p.i] != '\'' && p.s[p.i] != '"') {
		return "", fmt.Errorf("want a quoted string at offset %d", p.i)
	}
	q := p.s[p.i]
	end := strings.IndexByte(p.s[p.i+1:], q)
	if end < 0 {
		return "", fmt.Errorf("unterminated string at offset %d", p.i)
	}
	v := p.s[p.i+1 : p.i+1+end]
	if strings.IndexByte(v, '\\') >= 0 {
		return "", fmt.Errorf("escapes in %q are not supported", v)
	}
	p.i += end + 2
	return v, nil
}

// tuple consumes a tuple of non-negative integers: "()", "(5,)", "(2, 3)".
func (p *pyLit) tuple() ([]int, error) {
	if !p.eat('(') {
		return nil, fmt.Errorf("shape: want a tuple")
	}
	dims := []int{}
	for !p.eat(')') {
		p.skip()
		start := p.i
		for p.i < len(p.s) && p.s[p.i] >= '0' && p.s[p.i] <= '9' {
			p.i++
		}
		if p.i < len(p.s) && p.s[p.i] == 'L' { // Python 2 long literals
			p.i++
		}
		d, err := strconv.ParseInt(strings.TrimSuffix(p.s[start:p.i], "L"), 10, 64)
		if err != nil || d > math.MaxInt32 {
			return nil, fmt.Errorf("shape: want non-negative integers below 2^31 at offset %d", start)
		}
		dims = append(dims, int(d))
		if !p.eat(',') && !p.peek(')') {
			return nil, fmt.Errorf("shape: want ',' or ')' at offset %d", p.i)
		}
	}
	return dims, nil
}

// readNPYInts reads the n elements of an integer array with header h from r
// as int64.
func readNPYInts(r io.Reader, h NPYHeader, n int) ([]int64, error) {
	br := bufio.NewReaderSize(r, 1<<16)
	out := make([]int64, n)
	buf := make([]byte, h.ItemSize)
	signed := h.Descr[1] == 'i'
	for i := range out {
		if _, err := io.ReadFull(br, buf); err != nil {
			return nil, fmt.Errorf("npy: data ends at element %d of %d: %w", i, n, unexpectedEOF(err))
		}
		var u uint64
		for k := h.ItemSize - 1; k >= 0; k-- {
			u = u<<8 | uint64(buf[k])
		}
		if signed {
			shift := 64 - 8*h.ItemSize
			out[i] = int64(u<<shift) >> shift
		} else {
			out[i] = int64(u)
			if out[i] < 0 { // a uint64 above MaxInt64: keep it out of range
				out[i] = math.MaxInt64
			}
		}
	}
	return out, nil
}
