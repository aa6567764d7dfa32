package kern

// ExpShift replaces every v[i] with exp(v[i] - m), in exp32's float32
// arithmetic, and returns their float32 sum (a softmax's numerators and
// normaliser; m is the row's maximum).
func ExpShift(v []float32, m float32) float32 { return expShift(v, m) }

func expShiftScalar(v []float32, m float32) float32 {
	var z float32
	for i, x := range v {
		e := exp32(x - m)
		v[i] = e
		z += e
	}
	return z
}
