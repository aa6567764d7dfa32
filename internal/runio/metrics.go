package runio

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
)

// Point is one evaluation point of metrics.jsonl: metric key -> value.
// Keys that were absent or null are missing from the map.
type Point map[string]float64

// ReadMetrics reads a metrics.jsonl file. Blank lines are skipped; a final
// line without a newline that does not parse is a torn write from a crash
// and is ignored. Any other malformed line is an error naming file:line.
// Legacy keys of old LM runs are renamed (see Metrics).
func ReadMetrics(path string) ([]Point, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var pts []Point
	lineNo := 0
	for len(data) > 0 {
		lineNo++
		line := data
		complete := false
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			line, data, complete = data[:i], data[i+1:], true
		} else {
			data = nil
		}
		line = bytes.TrimSpace(line)
		if len(line) == 0 {
			continue
		}
		var obj map[string]any
		if err := json.Unmarshal(line, &obj); err != nil {
			if !complete {
				break
			}
			return nil, fmt.Errorf("%s:%d: %v", path, lineNo, err)
		}
		p, err := toFloatMap(obj)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %v", path, lineNo, err)
		}
		upgrade(p)
		pts = append(pts, p)
	}
	return pts, nil
}
