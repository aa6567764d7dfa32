package runio

import (
	"fmt"
	"math"
	"strings"
)

// toFloat converts a decoded JSON value to a number. Strings spelling a
// non-finite value ("NaN", "Inf", "-Inf", "Infinity") are accepted because
// JSON has no literal for them; ok is false for null.
func toFloat(v any) (x float64, ok bool, err error) {
	switch t := v.(type) {
	case nil:
		return 0, false, nil
	case float64:
		return t, true, nil
	case string:
		switch strings.ToLower(strings.TrimPrefix(t, "+")) {
		case "nan":
			return math.NaN(), true, nil
		case "inf", "infinity":
			return math.Inf(1), true, nil
		case "-inf", "-infinity":
			return math.Inf(-1), true, nil
		}
		return 0, false, fmt.Errorf("%q is not a number", t)
	default:
		return 0, false, fmt.Errorf("%v is not a number", v)
	}
}

// toFloatMap converts a decoded JSON object of numbers, dropping nulls.
func toFloatMap(m map[string]any) (map[string]float64, error) {
	out := make(map[string]float64, len(m))
	for k, v := range m {
		x, ok, err := toFloat(v)
		if err != nil {
			return nil, fmt.Errorf("key %s: %w", k, err)
		}
		if ok {
			out[k] = x
		}
	}
	return out, nil
}
