package receipt

// AdvanceWidth is the width in points of s set at size points in the embedded
// font, after the same cleaning Render applies. Tests use it to measure text
// they read back from a PDF, since the PDF reader does not know CID widths.
func AdvanceWidth(s string, size float64) float64 {
	f, err := loadFace()
	if err != nil {
		panic(err)
	}
	return f.width(f.clean(s), size)
}

// Page geometry, for tests that check nothing is drawn outside the margins.
const (
	PageW   = pageW
	PageH   = pageH
	MarginX = marginX
	QRSide  = qrSide
	QRQuiet = qrQuiet
)
