package data

import (
	"fmt"
	"math"
)

// CIFARMean and CIFARStd are the per-channel (R, G, B) mean and standard
// deviation, on the 0..255 scale, with which the authors' code standardises
// CIFAR inputs.
var (
	CIFARMean = [3]float32{125.307, 122.961, 113.8575}
	CIFARStd  = [3]float32{51.5865, 50.847, 51.255}
)

// ChannelStats returns the per-channel mean and population standard
// deviation of d.X over all examples and positions, accumulated in float64
// (two passes). An empty dataset gives NaN.
func ChannelStats(d *Dataset) (mean, std []float32) {
	c := d.C
	cnt := float64(len(d.X) / c)
	mean, std = make([]float32, c), make([]float32, c)
	for k := range c {
		var sum float64
		for p := k; p < len(d.X); p += c {
			sum += float64(d.X[p])
		}
		m := sum / cnt
		var sq float64
		for p := k; p < len(d.X); p += c {
			dv := float64(d.X[p]) - m
			sq += dv * dv
		}
		mean[k] = float32(m)
		std[k] = float32(math.Sqrt(sq / cnt))
	}
	return mean, std
}

// Normalize standardises d.X in place: x = (x - mean[c]) / std[c] for each
// channel c. A channel whose std is 0 is only centred. It panics if mean or
// std does not have d.C entries.
func (d *Dataset) Normalize(mean, std []float32) {
	c := d.C
	if len(mean) != c || len(std) != c {
		panic(fmt.Sprintf("data: Normalize: %s has %d channels, got %d means and %d stds", d.Name, c, len(mean), len(std)))
	}
	inv := make([]float32, c)
	for k, s := range std {
		inv[k] = 1
		if s != 0 {
			inv[k] = float32(1 / float64(s))
		}
	}
	for p := 0; p+c <= len(d.X); p += c {
		px := d.X[p : p+c]
		for k := range px {
			px[k] = (px[k] - mean[k]) * inv[k]
		}
	}
}
