package tboard_test

import (
	"bytes"
	"fmt"

	"wdlab/internal/tboard"
)

// A TFRecord is the length, its masked CRC32C, the data and its masked
// CRC32C.
func ExampleWriteRecord() {
	var buf bytes.Buffer
	if err := tboard.WriteRecord(&buf, []byte("123456789")); err != nil {
		panic(err)
	}
	fmt.Println(buf.Len(), fmt.Sprintf("%#x", tboard.MaskedCRC([]byte("123456789"))))
	// Output: 25 0xc78ab0e5
}
