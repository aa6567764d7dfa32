// Package dnnl trains the convolutional vision models on the CPU with
// oneDNN (Intel's deep-learning primitives library, Debian libdnnl-dev 2.6,
// its 2.x op-descriptor C API) through cgo.
//
// It executes the native model built from the one model description: the
// convolutional trunk (convolution, batch norm with the following ReLU
// fused, residual blocks with the add fused into the last convolution as a
// sum post-op, ReLU, max/average pooling, global average pooling) runs as a
// chain of oneDNN primitives whose activations stay in the library's
// blocked layouts (nChw16c and friends) from the first layer to the pooling
// head; the layers after the trunk (flatten, linear) and the loss run on
// the native engine's own layers. Parameters, gradients and BN running
// statistics live in the native model's Params, so optimizers, EMA, BN
// recalibration, probes and evaluation stay wdlab's.
//
// Primitives are created once per batch size and cached. Reference
// implementations (oneDNN's "ref:" kernels, 100-1000x slower) are refused.
// Every oneDNN call runs on one goroutine locked to its OS thread, because
// OpenMP's thread team belongs to the calling thread.
//
// The package needs cgo and the build tag dnnl (the Makefile sets it when
// the library's header is installed); without them it provides only
// Available() == false.
package dnnl
