// Package data owns wdlab's vision datasets: parsers for the official
// Fashion-MNIST (IDX, gzip or raw), CIFAR-10/100 (binary), Tiny-ImageNet
// (tiny-imagenet-200 JPEG folders, decoded in parallel into a checked
// cache) and CIFAR-5m (.npz parts, read as far as a subset needs) files, the
// in-memory Dataset (NHWC float32 images and int32 labels), class-balanced
// and index subsets, per-channel standardisation, the epoch order and batch
// ranges used by training and evaluation, and a synthetic learnable dataset
// for tests. Token data for language models lives in another package.
package data
