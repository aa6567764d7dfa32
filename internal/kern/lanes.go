package kern

// Per-lane float64 reductions over a strided float32 matrix: row r's lane
// j is x[r*stride+j], j < len(acc). They are the batch-norm statistics of
// layouts that keep a run of channels contiguous (NHWC rows, oneDNN's
// nChw8c / nChw16c blocks). Each lane sums its rows in order from zero
// and then adds the total to acc, so every code path gives the same bits.

// LaneSums adds to acc[j] the float64 sum over rows of lane j.
func LaneSums(acc []float64, x []float32, rows, stride int) {
	laneSums(acc, x[:lanesLen(len(acc), rows, stride)], rows, stride)
}

// LaneSqDevs adds to acc[j] the float64 sum over rows of (lane j - mean[j])^2.
func LaneSqDevs(acc []float64, x []float32, rows, stride int, mean []float64) {
	laneSqDevs(acc, x[:lanesLen(len(acc), rows, stride)], rows, stride, mean[:len(acc)])
}

// lanesLen is the length of x that rows rows of lanes lanes span.
func lanesLen(lanes, rows, stride int) int {
	if rows == 0 {
		return 0
	}
	return (rows-1)*stride + lanes
}

func laneSumsScalar(acc []float64, x []float32, rows, stride int) {
	for j := range acc {
		s := 0.0
		for r := 0; r < rows; r++ {
			s += float64(x[r*stride+j])
		}
		acc[j] += s
	}
}

func laneSqDevsScalar(acc []float64, x []float32, rows, stride int, mean []float64) {
	for j := range acc {
		s := 0.0
		for r := 0; r < rows; r++ {
			d := float64(x[r*stride+j]) - mean[j]
			s += d * d
		}
		acc[j] += s
	}
}
