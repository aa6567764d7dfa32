package data

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"

	"wdlab/internal/runio"
)

// A pixel cache holds decoded images so that a dataset stored as many small
// compressed files (Tiny-ImageNet JPEGs) is decoded once. Layout, little
// endian:
//
//	magic "WDLABPX1" | fingerprint [32]byte | n, h, w, c, classes uint32 |
//	n*h*w*c pixel bytes (NHWC) | n uint16 labels | CRC-32C of all before it
//
// The fingerprint identifies the source files (names, sizes, mtimes,
// labels). A cache whose size, header, fingerprint or checksum does not
// match is never trusted: the loader decodes again and replaces it.
const pixCacheMagic = "WDLABPX1"

// pixCacheHeader is the byte size of the header.
const pixCacheHeader = 8 + 32 + 5*4

// castagnoli is the CRC-32C table (hardware accelerated on amd64 and arm64).
var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// pixCache describes a cache file's expected content.
type pixCache struct {
	fingerprint         [32]byte
	n, h, w, c, classes int
}

// size returns the exact byte size of a valid cache file.
func (pc pixCache) size() int { return pixCacheHeader + pc.n*pc.h*pc.w*pc.c + 2*pc.n + 4 }

// header encodes the header.
func (pc pixCache) header() []byte {
	b := append([]byte(pixCacheMagic), pc.fingerprint[:]...)
	for _, v := range []int{pc.n, pc.h, pc.w, pc.c, pc.classes} {
		b = binary.LittleEndian.AppendUint32(b, uint32(v))
	}
	return b
}

// read returns the pixels and labels of the cache file at path, or an error
// saying why the file is not a valid cache for pc.
func (pc pixCache) read(path string) (pix []uint8, labels []int32, err error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, err
	}
	if len(b) != pc.size() {
		return nil, nil, fmt.Errorf("%s: %d bytes, want %d", path, len(b), pc.size())
	}
	if string(b[:pixCacheHeader]) != string(pc.header()) {
		return nil, nil, fmt.Errorf("%s: header does not match the source files", path)
	}
	body := b[:len(b)-4]
	if got, want := crc32.Checksum(body, castagnoli), binary.LittleEndian.Uint32(b[len(b)-4:]); got != want {
		return nil, nil, fmt.Errorf("%s: checksum %08x, want %08x", path, got, want)
	}
	np := pc.n * pc.h * pc.w * pc.c
	pix = body[pixCacheHeader : pixCacheHeader+np]
	labels = make([]int32, pc.n)
	for i := range labels {
		labels[i] = int32(binary.LittleEndian.Uint16(body[pixCacheHeader+np+2*i:]))
		if int(labels[i]) >= pc.classes {
			return nil, nil, fmt.Errorf("%s: label %d of example %d is outside 0..%d", path, labels[i], i, pc.classes-1)
		}
	}
	return pix, labels, nil
}

// write stores pixels and labels at path atomically (runio.WriteAtomic).
func (pc pixCache) write(path string, pix []uint8, labels []int32) error {
	if pc.classes > 1<<16 || len(pix) != pc.n*pc.h*pc.w*pc.c || len(labels) != pc.n {
		return errors.New("pixel cache: inconsistent sizes")
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return runio.WriteAtomic(path, 0o644, func(w io.Writer) error {
		crc := crc32.New(castagnoli)
		lab := make([]byte, 2*len(labels))
		for i, l := range labels {
			binary.LittleEndian.PutUint16(lab[2*i:], uint16(l))
		}
		for _, part := range [][]byte{pc.header(), pix, lab} {
			crc.Write(part)
			if _, err := w.Write(part); err != nil {
				return err
			}
		}
		_, err := w.Write(binary.LittleEndian.AppendUint32(nil, crc.Sum32()))
		return err
	})
}
