package receipt

import (
	"fmt"

	"github.com/boombuler/barcode/qr"
	"github.com/signintech/gopdf"
)

const (
	qrSide  = 30 * mm // the printed code, quiet zone not included
	qrQuiet = 4       // modules of white around the code, as the standard asks
)

// qrModules encodes s (error correction M, about 15% of the code may be
// damaged) and returns its dark modules as dark[y][x].
func qrModules(s string) ([][]bool, error) {
	code, err := qr.Encode(s, qr.M, qr.Auto)
	if err != nil {
		return nil, fmt.Errorf("QR code for the verify URL: %w", err)
	}
	n := code.Bounds().Dx()
	dark := make([][]bool, n)
	for y := range n {
		dark[y] = make([]bool, n)
		for x := range n {
			r, _, _, _ := code.At(x, y).RGBA()
			dark[y][x] = r < 0x8000
		}
	}
	return dark, nil
}

// drawQR paints the dark modules as filled rectangles, one per horizontal run,
// with its top-left corner at x, y: vector, so it prints sharp at any
// resolution and costs a few kilobytes.
func (d *doc) drawQR(dark [][]bool, x, y, side float64) {
	m := side / float64(len(dark))
	d.pdf.SetFillColor(0, 0, 0)
	for row, line := range dark {
		for col := 0; col < len(line); {
			if !line[col] {
				col++
				continue
			}
			end := col
			for end < len(line) && line[end] {
				end++
			}
			d.pdf.RectFromUpperLeftWithStyle(x+float64(col)*m, y+float64(row)*m, float64(end-col)*m, m, "F")
			col = end
		}
	}
}

// verify prints the QR code at the right with its caption under it, and the
// URL as small text to its left.
func (d *doc) verify(r Receipt) error {
	if r.VerifyURL == "" {
		return nil
	}
	dark, err := qrModules(r.VerifyURL)
	if err != nil {
		return err
	}
	quiet := qrSide / float64(len(dark)) * qrQuiet
	captionH := sizeBody * lineGap
	d.room(qrSide + 2*quiet + captionH)
	qx := marginX + contentW - qrSide - quiet
	d.drawQR(dark, qx, d.y+quiet, qrSide)
	if err := d.text(qx-quiet, d.y+2*quiet+qrSide, qrSide+2*quiet, captionH, labelQR, sizeBody, gopdf.Center|gopdf.Middle); err != nil {
		return err
	}

	textW := contentW - qrSide - 2*quiet - 4*mm
	ls := append([]string{labelVerify}, d.wrap(d.face.clean(r.VerifyURL), textW, sizeSmall, 6)...)
	ls = append(ls, d.wrap(labelVerifyNote, textW, sizeSmall, 2)...)
	top := max(d.y, d.y+quiet+qrSide-float64(len(ls))*sizeSmall*lineGap)
	d.grey(textGrey)
	_, err = d.lines(marginX, top, textW, ls, sizeSmall, gopdf.Left)
	d.black()
	if err != nil {
		return err
	}
	d.y += qrSide + 2*quiet + captionH
	return nil
}
