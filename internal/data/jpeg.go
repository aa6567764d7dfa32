package data

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"os"
	"runtime"
	"sync"
	"sync/atomic"
)

// decodeJPEGs decodes the JPEG files at paths, in parallel on GOMAXPROCS
// workers, into side x side x 3 HWC bytes, image i at i*side*side*3.
// Grayscale (and CMYK) JPEGs become RGB. Every image must be side x side.
// On failure it returns the error of the lowest failing index, naming its file.
func decodeJPEGs(paths []string, side int) ([]uint8, error) {
	size := side * side * 3
	pix := make([]uint8, len(paths)*size)
	var (
		next   atomic.Int64
		failed atomic.Bool
		mu     sync.Mutex
		errIdx = len(paths)
		first  error
		wg     sync.WaitGroup
	)
	workers := min(runtime.GOMAXPROCS(0), len(paths))
	for range workers {
		wg.Go(func() {
			for !failed.Load() {
				i := int(next.Add(1) - 1)
				if i >= len(paths) {
					return
				}
				if err := decodeJPEGFile(paths[i], side, pix[i*size:(i+1)*size]); err != nil {
					mu.Lock()
					if i < errIdx {
						errIdx, first = i, err
					}
					mu.Unlock()
					failed.Store(true)
				}
			}
		})
	}
	wg.Wait()
	if first != nil {
		return nil, first
	}
	return pix, nil
}

// decodeJPEGFile decodes one file into dst; errors name the file.
func decodeJPEGFile(path string, side int, dst []uint8) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("data: %w", err)
	}
	img, err := jpeg.Decode(bytes.NewReader(b))
	if err != nil {
		return fmt.Errorf("data: %s: %w", path, err)
	}
	if err := toRGB(img, side, dst); err != nil {
		return fmt.Errorf("data: %s: %w", path, err)
	}
	return nil
}

// toRGB writes a side x side image as HWC RGB bytes, with fast paths for
// the two kinds image/jpeg returns for Tiny-ImageNet (YCbCr and Gray).
func toRGB(img image.Image, side int, dst []uint8) error {
	b := img.Bounds()
	if b.Dx() != side || b.Dy() != side {
		return fmt.Errorf("image is %dx%d, want %dx%d", b.Dx(), b.Dy(), side, side)
	}
	for y := range side {
		for x := range side {
			px, py, o := b.Min.X+x, b.Min.Y+y, (y*side+x)*3
			switch m := img.(type) {
			case *image.YCbCr:
				ci := m.COffset(px, py)
				dst[o], dst[o+1], dst[o+2] = color.YCbCrToRGB(m.Y[m.YOffset(px, py)], m.Cb[ci], m.Cr[ci])
			case *image.Gray:
				v := m.Pix[m.PixOffset(px, py)]
				dst[o], dst[o+1], dst[o+2] = v, v, v
			default:
				r, g, bl, _ := img.At(px, py).RGBA()
				dst[o], dst[o+1], dst[o+2] = uint8(r>>8), uint8(g>>8), uint8(bl>>8)
			}
		}
	}
	return nil
}
