// Package tokens owns wdlab's language-model data: tokenizers (byte-level and
// GPT-2 BPE), token files in the nanoGPT (raw uint16) and llm.c (header +
// uint16) formats, the KJV corpus and its preparation into train/val token
// files, and the window samplers that turn a token stream into batches.
package tokens
