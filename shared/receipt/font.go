package receipt

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"fmt"
	"io"
	"strings"
	"sync"
	"unicode"

	"github.com/signintech/gopdf"
	"github.com/signintech/gopdf/fontmaker/core"
)

// fontGz is Noto Sans CJK SC Regular, subset to GB 2312 + 通用规范汉字表 + the labels
// and converted to TrueType outlines; font/build.sh makes it, font/README.md says how.
//
//go:embed font/NotoSansCJKsc-Regular-receipt.ttf.gz
var fontGz []byte

const (
	family = "receipt"
	// placeholder stands in for a character the font lacks; it is in GB 2312 (row 1).
	placeholder = '□'
)

// face is the parsed font, shared read-only by every Render.
type face struct {
	container  *gopdf.FontContainer
	glyph      map[rune]uint // rune → glyph id, for every character the font maps
	advance    []uint        // glyph id → advance width in font units
	unitsPerEm float64
}

var (
	faceOnce sync.Once
	faceVal  *face
	faceErr  error
)

// loadFace decompresses and parses the embedded font on first use (not at init:
// a Lambda that never renders a receipt should not pay for it).
func loadFace() (*face, error) {
	faceOnce.Do(func() { faceVal, faceErr = parseFace(fontGz) })
	return faceVal, faceErr
}

func parseFace(gz []byte) (*face, error) {
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return nil, fmt.Errorf("receipt: font: %w", err)
	}
	ttf, err := io.ReadAll(zr)
	if err != nil {
		return nil, fmt.Errorf("receipt: font: %w", err)
	}
	var p core.TTFParser
	if err := p.ParseFontData(ttf); err != nil {
		return nil, fmt.Errorf("receipt: font: %w", err)
	}
	f := &face{
		container:  &gopdf.FontContainer{},
		glyph:      make(map[rune]uint, len(p.Chars())),
		advance:    p.Widths(),
		unitsPerEm: float64(p.UnitsPerEm()),
	}
	for c, g := range p.Chars() {
		f.glyph[rune(c)] = g
	}
	for _, grp := range p.GroupingTables() { // cmap format 12: the supplementary planes
		for c := grp.StartCharCode; c <= grp.EndCharCode; c++ {
			f.glyph[rune(c)] = grp.GlyphID + (c - grp.StartCharCode)
		}
	}
	if _, ok := f.glyph[placeholder]; !ok {
		return nil, fmt.Errorf("receipt: font lacks the placeholder %q", placeholder)
	}
	opt := gopdf.TtfOption{OnGlyphNotFoundSubstitute: func(rune) rune { return placeholder }}
	if err := f.container.AddTTFFontDataWithOption(family, ttf, opt); err != nil {
		return nil, fmt.Errorf("receipt: font: %w", err)
	}
	return f, nil
}

// clean makes s printable in one line with this font: control characters and line
// breaks become spaces, and characters the font lacks become the placeholder.
func (f *face) clean(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case unicode.IsSpace(r) && (r < 0x80 || !f.has(r)): // keeps U+3000 (全角空格)
			b.WriteByte(' ')
		case unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || unicode.Is(unicode.Mn, r):
			// Zero-width and combining marks: the receipt does no shaping.
		case f.has(r):
			b.WriteRune(r)
		default:
			b.WriteRune(placeholder)
		}
	}
	return b.String()
}

func (f *face) has(r rune) bool {
	g, ok := f.glyph[r]
	return ok && g != 0
}

// runeWidth is the advance of r at size points; r must have passed clean.
func (f *face) runeWidth(r rune, size float64) float64 {
	g := f.glyph[r]
	if int(g) >= len(f.advance) {
		g = 0
	}
	return float64(f.advance[g]) * size / f.unitsPerEm
}

func (f *face) width(s string, size float64) float64 {
	var w float64
	for _, r := range s {
		w += f.runeWidth(r, size)
	}
	return w
}
