// Package ckpt reads and writes safetensors files: an 8-byte little-endian
// header length, a JSON header mapping tensor names to dtype, shape and byte
// offsets (plus a string map under "__metadata__"), then the raw data.
// wdlab stores F32 tensors only; checkpoints hold model, optimizer and EMA
// tensors under name prefixes, with run state in the metadata.
package ckpt
