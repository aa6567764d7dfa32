package tokens

import (
	"encoding/binary"
	"fmt"
	"os"

	"wdlab/internal/runio"
)

// Token file formats.
const (
	// FormatNanoGPT is nanoGPT's train.bin: raw little-endian uint16 tokens, no header.
	FormatNanoGPT = "nanogpt"
	// FormatLLMC is llm.c's token file: a 256 x int32 header (magic, version,
	// token count), then little-endian uint16 tokens.
	FormatLLMC = "llmc"
)

// llm.c header constants.
const (
	llmcMagic       = 20240520
	llmcVersion     = 1 // uint16 tokens; version 2 (uint32, LLaMA-3) is not supported
	llmcHeaderInts  = 256
	llmcHeaderBytes = 4 * llmcHeaderInts
)

// Parse decodes the bytes of a token file. Data that starts with the llm.c
// magic number is read as an llm.c file, anything else as a raw nanoGPT
// file. It returns the tokens and the detected format.
func Parse(data []byte) ([]uint16, string, error) {
	if len(data) >= 4 && binary.LittleEndian.Uint32(data) == llmcMagic {
		toks, err := parseLLMC(data)
		return toks, FormatLLMC, err
	}
	if len(data)%2 != 0 {
		return nil, FormatNanoGPT, fmt.Errorf("raw uint16 token file has an odd number of bytes (%d)", len(data))
	}
	return decodeUint16(data), FormatNanoGPT, nil
}

func parseLLMC(data []byte) ([]uint16, error) {
	if len(data) < llmcHeaderBytes {
		return nil, fmt.Errorf("llm.c token file is shorter (%d bytes) than its %d-byte header", len(data), llmcHeaderBytes)
	}
	if v := int32(binary.LittleEndian.Uint32(data[4:])); v != llmcVersion {
		return nil, fmt.Errorf("llm.c token file version %d is not supported (want %d: uint16 tokens)", v, llmcVersion)
	}
	count := int64(int32(binary.LittleEndian.Uint32(data[8:])))
	body := data[llmcHeaderBytes:]
	if count < 0 || int64(len(body)) != 2*count {
		return nil, fmt.Errorf("llm.c header says %d tokens but the file holds %d bytes of tokens", count, len(body))
	}
	return decodeUint16(body), nil
}

func decodeUint16(b []byte) []uint16 {
	toks := make([]uint16, len(b)/2)
	for i := range toks {
		toks[i] = binary.LittleEndian.Uint16(b[2*i:])
	}
	return toks
}

// Encode returns the bytes of a token file in format (FormatNanoGPT or FormatLLMC).
func Encode(toks []uint16, format string) ([]byte, error) {
	switch format {
	case FormatNanoGPT:
		return appendUint16(make([]byte, 0, 2*len(toks)), toks), nil
	case FormatLLMC:
		if len(toks) > 1<<31-1 {
			return nil, fmt.Errorf("%d tokens do not fit an llm.c header (int32 count)", len(toks))
		}
		b := make([]byte, llmcHeaderBytes, llmcHeaderBytes+2*len(toks))
		binary.LittleEndian.PutUint32(b[0:], llmcMagic)
		binary.LittleEndian.PutUint32(b[4:], llmcVersion)
		binary.LittleEndian.PutUint32(b[8:], uint32(len(toks)))
		return appendUint16(b, toks), nil
	}
	return nil, fmt.Errorf("unknown token file format %q (want %s or %s)", format, FormatNanoGPT, FormatLLMC)
}

// Read loads a token file, detecting the llm.c header by its magic number.
// It returns the tokens and the format found.
func Read(path string) ([]uint16, string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, "", err
	}
	toks, format, err := Parse(data)
	if err != nil {
		return nil, format, fmt.Errorf("%s: %w", path, err)
	}
	return toks, format, nil
}

// Write writes toks to path in format, atomically.
func Write(path string, toks []uint16, format string) error {
	b, err := Encode(toks, format)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return runio.WriteFileAtomic(path, b, 0o644)
}

func appendUint16(b []byte, toks []uint16) []byte {
	for _, t := range toks {
		b = binary.LittleEndian.AppendUint16(b, t)
	}
	return b
}
