package tboard

import (
	"encoding/binary"
	"math"
)

// Protobuf wire types used by Event, Summary and Summary.Value.
const (
	wireVarint  = 0
	wireFixed64 = 1
	wireBytes   = 2
	wireFixed32 = 5
)

func appendTag(b []byte, field, wire int) []byte {
	return binary.AppendUvarint(b, uint64(field<<3|wire))
}

func appendBytesField(b []byte, field int, v []byte) []byte {
	b = appendTag(b, field, wireBytes)
	b = binary.AppendUvarint(b, uint64(len(v)))
	return append(b, v...)
}

// eventHeader encodes Event{wall_time=1 (double), step=2 (int64)}.
func eventHeader(wall float64, step int64) []byte {
	b := appendTag(nil, 1, wireFixed64)
	b = binary.LittleEndian.AppendUint64(b, math.Float64bits(wall))
	b = appendTag(b, 2, wireVarint)
	return binary.AppendUvarint(b, uint64(step)) // int64 varint: two's complement
}

// FileVersionEvent encodes the first event of every file:
// Event{wall_time, step: 0, file_version=3: "brain.Event:2"}.
func FileVersionEvent(wall float64) []byte {
	return appendBytesField(eventHeader(wall, 0), 3, []byte("brain.Event:2"))
}

// ScalarEvent encodes Event{wall_time, step, summary=5: Summary{value=1:
// Value{tag=1, simple_value=2 (float)}}}.
func ScalarEvent(wall float64, step int64, tag string, value float32) []byte {
	v := appendBytesField(nil, 1, []byte(tag))
	v = appendTag(v, 2, wireFixed32)
	v = binary.LittleEndian.AppendUint32(v, math.Float32bits(value))
	summary := appendBytesField(nil, 1, v)
	return appendBytesField(eventHeader(wall, step), 5, summary)
}
