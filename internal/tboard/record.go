package tboard

import (
	"encoding/binary"
	"hash/crc32"
	"io"
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// maskDelta is the constant TFRecord adds to rotated checksums.
const maskDelta = 0xa282ead8

// MaskedCRC returns the TFRecord checksum of data: CRC32C rotated right by
// 15 bits plus 0xa282ead8.
func MaskedCRC(data []byte) uint32 {
	c := crc32.Checksum(data, castagnoli)
	return ((c >> 15) | (c << 17)) + maskDelta
}

// WriteRecord frames data as one TFRecord: the little-endian uint64 length,
// the masked CRC of those 8 bytes, data, and the masked CRC of data.
func WriteRecord(w io.Writer, data []byte) error {
	buf := make([]byte, 0, 16+len(data))
	buf = binary.LittleEndian.AppendUint64(buf, uint64(len(data)))
	buf = binary.LittleEndian.AppendUint32(buf, MaskedCRC(buf[:8]))
	buf = append(buf, data...)
	buf = binary.LittleEndian.AppendUint32(buf, MaskedCRC(data))
	_, err := w.Write(buf)
	return err
}
