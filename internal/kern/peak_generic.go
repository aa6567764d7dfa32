//go:build !(goexperiment.simd && amd64)

package kern

import "time"

// FMAPeak reports no measurement in a build without SIMD: 0, "".
func FMAPeak(threads int, d time.Duration) (float64, string) { return 0, "" }
