// Package receipttest reads receipts back, for tests: their text and their
// QR code, from the PDF itself (github.com/ledongthuc/pdf reads the text
// through the font's ToUnicode map; the QR code is rebuilt from the
// rectangles the page draws and decoded with gozxing, so no PDF rasteriser
// is needed).
package receipttest

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"image"
	"image/color"
	"math"
	"slices"
	"strings"

	"github.com/ledongthuc/pdf"
	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"
)

// Open reads a PDF.
func Open(b []byte) (*pdf.Reader, error) { return pdf.NewReader(bytes.NewReader(b), int64(len(b))) }

// Run is one text-showing operation read back from a page. The reader does
// not know the widths of CID glyphs, so every glyph of an operation comes
// back at the operation's start, and it ends each operation with a U+FFFD
// (its "\n" put through the font's CMap).
type Run struct {
	X, Y, Size float64
	S          string
}

// Runs returns a page's text operations in drawing order.
func Runs(p pdf.Page) []Run {
	var out []Run
	open := false
	for _, t := range p.Content().Text {
		if t.S == "\ufffd" {
			open = false
			continue
		}
		if open {
			out[len(out)-1].S += t.S
			continue
		}
		out = append(out, Run{t.X, t.Y, t.FontSize, t.S})
		open = true
	}
	return out
}

// Text returns every page's runs, one per line.
func Text(b []byte) (string, error) {
	r, err := Open(b)
	if err != nil {
		return "", err
	}
	var lines []string
	for i := 1; i <= r.NumPage(); i++ {
		for _, ru := range Runs(r.Page(i)) {
			lines = append(lines, ru.S)
		}
	}
	return strings.Join(lines, "\n"), nil
}

// QR decodes the QR code of a page and returns its text and its side in
// points. The code is drawn as rectangles one module high: every height
// shared by at least 20 rectangles is tried, the commonest first (ties by
// height, so that the order never depends on map iteration), until one
// decodes.
func QR(p pdf.Page, quiet int) (text string, side float64, err error) {
	rects := p.Content().Rect
	count := map[float64]int{}
	for _, r := range rects {
		count[round2(r.Max.Y-r.Min.Y)]++
	}
	heights := make([]float64, 0, len(count))
	for h, c := range count {
		if c >= 20 && h > 0 {
			heights = append(heights, h)
		}
	}
	slices.SortFunc(heights, func(a, b float64) int {
		if c := cmp.Compare(count[b], count[a]); c != 0 {
			return c
		}
		return cmp.Compare(b, a)
	})
	err = errors.New("no rectangles that could be a QR code")
	for _, m := range heights {
		var t string
		if t, side, err = qrOfHeight(rects, m, quiet); err == nil {
			return t, side, nil
		}
	}
	return "", 0, err
}

// qrOfHeight decodes the QR code drawn by the rectangles of height m.
func qrOfHeight(rects []pdf.Rect, m float64, quiet int) (string, float64, error) {
	var qr []pdf.Rect
	x0, top, x1 := math.Inf(1), math.Inf(-1), math.Inf(-1)
	sum := 0.0
	for _, r := range rects {
		if round2(r.Max.Y-r.Min.Y) == m {
			qr = append(qr, r)
			x0, top, x1 = min(x0, r.Min.X), max(top, r.Max.Y), max(x1, r.Max.X)
			sum += r.Max.Y - r.Min.Y
		}
	}
	if len(qr) > 0 {
		m = sum / float64(len(qr)) // the module's exact size, not the rounded height
	}
	n := int(math.Round((x1 - x0) / m))
	if len(qr) < 20 || n < 21 {
		return "", 0, fmt.Errorf("found %d rectangles of height %.2f spanning %d modules: no QR code", len(qr), m, n)
	}
	const px = 4
	img := image.NewGray(image.Rect(0, 0, (n+2*quiet)*px, (n+2*quiet)*px))
	for i := range img.Pix {
		img.Pix[i] = 0xff
	}
	for _, r := range qr {
		row := int(math.Round((top - r.Max.Y) / m))
		c0, c1 := int(math.Round((r.Min.X-x0)/m)), int(math.Round((r.Max.X-x0)/m))
		for c := c0; c < c1; c++ {
			for dy := range px {
				for dx := range px {
					img.SetGray((c+quiet)*px+dx, (row+quiet)*px+dy, color.Gray{})
				}
			}
		}
	}
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		return "", 0, err
	}
	// The image is drawn module by module: read it as a pure barcode
	// first (no finder-pattern search), then by searching.
	res, err := qrcode.NewQRCodeReader().Decode(bmp, map[gozxing.DecodeHintType]interface{}{gozxing.DecodeHintType_PURE_BARCODE: true})
	if err != nil {
		res, err = qrcode.NewQRCodeReader().Decode(bmp, map[gozxing.DecodeHintType]interface{}{gozxing.DecodeHintType_TRY_HARDER: true})
	}
	if err != nil {
		return "", 0, fmt.Errorf("decode the QR code: %w", err)
	}
	return res.GetText(), float64(n) * m, nil
}

// FirstQR decodes the QR code of a receipt's first page (quiet zone of 4
// modules, as receipts draw it).
func FirstQR(b []byte) (string, error) {
	r, err := Open(b)
	if err != nil {
		return "", err
	}
	text, _, err := QR(r.Page(1), 4)
	return text, err
}

func round2(f float64) float64 { return math.Round(f*100) / 100 }
