package data

import (
	"bufio"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
)

// IDX magic numbers: two zero bytes, the element type (0x08 = unsigned byte)
// and the number of dimensions.
const (
	idxImagesMagic = 0x00000803
	idxLabelsMagic = 0x00000801
)

// ReadIDXImages reads an IDX file of unsigned-byte images (magic 0x00000803,
// dimensions n, rows, cols), raw or gzip-compressed. pix holds the
// n*rows*cols pixels image by image, each row-major. A bad magic number, a
// zero or overflowing dimension, a truncated body or trailing bytes are errors.
func ReadIDXImages(r io.Reader) (n, rows, cols int, pix []uint8, err error) {
	dims, pix, err := readIDX(r, idxImagesMagic, 3, "images")
	if err != nil {
		return 0, 0, 0, nil, err
	}
	return dims[0], dims[1], dims[2], pix, nil
}

// ReadIDXLabels reads an IDX file of unsigned-byte labels (magic 0x00000801,
// one dimension), raw or gzip-compressed, with the same checks as ReadIDXImages.
func ReadIDXLabels(r io.Reader) ([]uint8, error) {
	_, labels, err := readIDX(r, idxLabelsMagic, 1, "labels")
	return labels, err
}

// readIDX checks the header of an unsigned-byte IDX stream with ndims
// dimensions and returns the dimensions and exactly the body they describe.
// Memory grows with the data actually read, never with the header's claim.
func readIDX(r io.Reader, magic uint32, ndims int, what string) ([]int, []byte, error) {
	r, err := maybeGunzip(r)
	if err != nil {
		return nil, nil, fmt.Errorf("IDX %s: %w", what, err)
	}
	hdr := make([]byte, 4+4*ndims)
	if n, err := io.ReadFull(r, hdr[:4]); err != nil {
		return nil, nil, headerErr(what, n, len(hdr), err)
	}
	if got := binary.BigEndian.Uint32(hdr); got != magic {
		return nil, nil, fmt.Errorf("IDX %s: bad magic 0x%08x, want 0x%08x (unsigned bytes, %d dimensions)", what, got, magic, ndims)
	}
	if n, err := io.ReadFull(r, hdr[4:]); err != nil {
		return nil, nil, headerErr(what, 4+n, len(hdr), err)
	}
	dims := make([]int, ndims)
	need := uint64(1)
	for i := range dims {
		v := uint64(binary.BigEndian.Uint32(hdr[4+4*i:]))
		if v == 0 {
			return nil, nil, fmt.Errorf("IDX %s: dimension %d is zero", what, i)
		}
		if need > (math.MaxInt-1)/v {
			return nil, nil, fmt.Errorf("IDX %s: dimensions overflow (dimension %d is %d)", what, i, v)
		}
		need *= v
		dims[i] = int(v)
	}
	body, err := io.ReadAll(io.LimitReader(r, int64(need)+1))
	if err != nil {
		return nil, nil, fmt.Errorf("IDX %s: reading %d data bytes: %w", what, need, err)
	}
	switch {
	case uint64(len(body)) < need:
		return nil, nil, fmt.Errorf("IDX %s: truncated: dimensions %v need %d data bytes, got %d", what, dims, need, len(body))
	case uint64(len(body)) > need:
		return nil, nil, fmt.Errorf("IDX %s: trailing bytes after the %d data bytes of dimensions %v", what, need, dims)
	}
	return dims, body, nil
}

// maybeGunzip returns a reader of the decompressed stream if r starts with
// the gzip magic bytes 1f 8b, and of r itself otherwise.
func maybeGunzip(r io.Reader) (io.Reader, error) {
	br := bufio.NewReader(r)
	if b, err := br.Peek(2); err == nil && b[0] == 0x1f && b[1] == 0x8b {
		return gzip.NewReader(br)
	}
	return br, nil
}

// headerErr reports a failed header read of got of want bytes: truncation
// at end of input, or the underlying read error (e.g. a corrupt gzip stream).
func headerErr(what string, got, want int, err error) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("IDX %s: truncated header: got %d of %d bytes", what, got, want)
	}
	return fmt.Errorf("IDX %s: reading header: %w", what, err)
}
