package data

import (
	"bytes"
	"fmt"
	"image"
	"image/jpeg"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkDecodeJPEGs measures the parallel Tiny-ImageNet decode on 2000
// generated 64x64 JPEGs (smooth gradients plus noise, quality 75, about
// 1 KB each), reading them from disk as the loader does:
//
//	GOEXPERIMENT=simd go test -run XXX -bench DecodeJPEGs -benchtime 5x ./internal/data/
func BenchmarkDecodeJPEGs(b *testing.B) {
	const n = 2000
	dir := b.TempDir()
	rng := rand.New(rand.NewPCG(1, 2))
	paths := make([]string, n)
	var bytesTotal int
	for i := range paths {
		m := image.NewRGBA(image.Rect(0, 0, tinySide, tinySide))
		base := [3]int{rng.IntN(256), rng.IntN(256), rng.IntN(256)}
		for y := range tinySide {
			for x := range tinySide {
				o := m.PixOffset(x, y)
				for c := range 3 {
					v := base[c] + (x*(c+1)+y*(3-c))/2 + rng.IntN(24) - 12
					m.Pix[o+c] = uint8(max(0, min(255, v)))
				}
				m.Pix[o+3] = 255
			}
		}
		var buf bytes.Buffer
		if err := jpeg.Encode(&buf, m, &jpeg.Options{Quality: 75}); err != nil {
			b.Fatal(err)
		}
		bytesTotal += buf.Len()
		paths[i] = filepath.Join(dir, fmt.Sprintf("img_%d.JPEG", i))
		if err := os.WriteFile(paths[i], buf.Bytes(), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	for b.Loop() {
		if _, err := decodeJPEGs(paths, tinySide); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "images/s")
	b.ReportMetric(float64(bytesTotal)/n, "bytes/jpeg")
}
