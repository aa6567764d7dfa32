package tboard

import (
	"encoding/binary"
	"fmt"
	"math"
	"os"
	"testing"
)

// crc32cRef is a bitwise CRC32C (reflected polynomial 0x82F63B78),
// independent of hash/crc32.
func crc32cRef(data []byte) uint32 {
	c := ^uint32(0)
	for _, b := range data {
		c ^= uint32(b)
		for range 8 {
			if c&1 != 0 {
				c = c>>1 ^ 0x82F63B78
			} else {
				c >>= 1
			}
		}
	}
	return ^c
}

func maskRef(c uint32) uint32 { return (c>>15 | c<<17) + 0xa282ead8 }

// readRecords parses a TFRecord file, checking both checksums of every
// record.
func readRecords(t *testing.T, path string) [][]byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var recs [][]byte
	for len(data) > 0 {
		if len(data) < 12 {
			t.Fatalf("truncated header: %d bytes left", len(data))
		}
		n := binary.LittleEndian.Uint64(data)
		if got, want := binary.LittleEndian.Uint32(data[8:]), maskRef(crc32cRef(data[:8])); got != want {
			t.Fatalf("length crc %#x, want %#x", got, want)
		}
		data = data[12:]
		if uint64(len(data)) < n+4 {
			t.Fatalf("truncated record")
		}
		rec := data[:n]
		if got, want := binary.LittleEndian.Uint32(data[n:]), maskRef(crc32cRef(rec)); got != want {
			t.Fatalf("data crc %#x, want %#x", got, want)
		}
		recs = append(recs, rec)
		data = data[n+4:]
	}
	return recs
}

// event is a decoded Event with at most one scalar value.
type event struct {
	wall    float64
	step    int64
	version string
	tag     string
	value   float32
	nvalues int
}

// field is one decoded protobuf field.
type field struct {
	num, wire int
	u         uint64
	b         []byte
}

func decodeFields(b []byte) ([]field, error) {
	var fs []field
	for len(b) > 0 {
		key, n := binary.Uvarint(b)
		if n <= 0 {
			return nil, fmt.Errorf("bad key")
		}
		b = b[n:]
		f := field{num: int(key >> 3), wire: int(key & 7)}
		switch f.wire {
		case 0:
			f.u, n = binary.Uvarint(b)
			if n <= 0 {
				return nil, fmt.Errorf("bad varint")
			}
			b = b[n:]
		case 1:
			f.u, b = binary.LittleEndian.Uint64(b), b[8:]
		case 5:
			f.u, b = uint64(binary.LittleEndian.Uint32(b)), b[4:]
		case 2:
			l, n := binary.Uvarint(b)
			if n <= 0 || uint64(len(b)-n) < l {
				return nil, fmt.Errorf("bad length")
			}
			f.b, b = b[n:n+int(l)], b[n+int(l):]
		default:
			return nil, fmt.Errorf("wire type %d", f.wire)
		}
		fs = append(fs, f)
	}
	return fs, nil
}

func decodeEvent(t *testing.T, rec []byte) event {
	t.Helper()
	fs, err := decodeFields(rec)
	if err != nil {
		t.Fatal(err)
	}
	var e event
	for _, f := range fs {
		switch {
		case f.num == 1 && f.wire == 1:
			e.wall = math.Float64frombits(f.u)
		case f.num == 2 && f.wire == 0:
			e.step = int64(f.u)
		case f.num == 3 && f.wire == 2:
			e.version = string(f.b)
		case f.num == 5 && f.wire == 2:
			vals, err := decodeFields(f.b)
			if err != nil {
				t.Fatal(err)
			}
			for _, v := range vals {
				if v.num != 1 || v.wire != 2 {
					t.Fatalf("summary field %d/%d", v.num, v.wire)
				}
				e.nvalues++
				inner, err := decodeFields(v.b)
				if err != nil {
					t.Fatal(err)
				}
				for _, g := range inner {
					switch {
					case g.num == 1 && g.wire == 2:
						e.tag = string(g.b)
					case g.num == 2 && g.wire == 5:
						e.value = math.Float32frombits(uint32(g.u))
					default:
						t.Fatalf("value field %d/%d", g.num, g.wire)
					}
				}
			}
		default:
			t.Fatalf("event field %d/%d", f.num, f.wire)
		}
	}
	return e
}
