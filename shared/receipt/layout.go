package receipt

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/signintech/gopdf"
)

// Page geometry in points (1 mm = 72/25.4 pt).
const (
	mm         = 72 / 25.4
	pageW      = 595.28
	pageH      = 841.89
	marginX    = 15 * mm
	marginTop  = 16 * mm
	contentW   = pageW - 2*marginX
	contentBot = pageH - 18*mm // content stops here; the footer sits below
	footerY    = pageH - 12*mm
	lineGap    = 1.35 // line height as a multiple of the font size
)

// Grey levels (0–255) of rules and label shading.
const (
	ruleGrey  = 150
	shadeGrey = 238
	textGrey  = 90
)

// doc is one receipt being laid out: a gopdf document, the font, and the pen's
// vertical position on the current page.
type doc struct {
	pdf   *gopdf.GoPdf
	face  *face
	y     float64
	pages int
	size  float64 // current font size
	head  string  // printed atop every page after the first
	err   error   // the first drawing error on a page break, returned by Render
}

func newDoc(f *face) (*doc, error) {
	pdf := &gopdf.GoPdf{}
	pdf.Start(gopdf.Config{PageSize: gopdf.Rect{W: pageW, H: pageH}, Unit: gopdf.UnitPT})
	pdf.SetCompressLevel(6)
	if err := pdf.AddTTFFontFromFontContainer(family, f.container); err != nil {
		return nil, fmt.Errorf("receipt: font: %w", err)
	}
	d := &doc{pdf: pdf, face: f}
	d.newPage()
	return d, nil
}

func (d *doc) newPage() {
	d.pdf.AddPage()
	d.pages++
	d.y = marginTop
	d.size = 0
	d.pdf.SetStrokeColor(ruleGrey, ruleGrey, ruleGrey) // every rule on the page
	d.pdf.SetLineWidth(0.5)
	if d.pages == 1 || d.head == "" {
		return
	}
	d.grey(textGrey)
	if err := d.text(marginX, d.y, contentW, sizeSmall*lineGap, d.head, sizeSmall, gopdf.Left|gopdf.Middle); err != nil && d.err == nil {
		d.err = err
	}
	d.black()
	d.y += sizeSmall*lineGap + 2*mm
}

// room starts a new page unless h points fit below the pen; it reports whether it did.
func (d *doc) room(h float64) bool {
	if d.y+h <= contentBot {
		return false
	}
	d.newPage()
	return true
}

func (d *doc) font(size float64) error {
	if d.size == size {
		return nil
	}
	d.size = size
	return d.pdf.SetFont(family, "", size)
}

// text writes one line s (already clean) in the box x,y,w,h with the given gopdf alignment.
func (d *doc) text(x, y, w, h float64, s string, size float64, align int) error {
	if s == "" {
		return nil
	}
	if err := d.font(size); err != nil {
		return err
	}
	d.pdf.SetXY(x, y)
	return d.pdf.CellWithOption(&gopdf.Rect{W: w, H: h}, s, gopdf.CellOption{Align: align})
}

// lines writes ls top-down from y, one per line height, and returns the height used.
func (d *doc) lines(x, y, w float64, ls []string, size float64, align int) (float64, error) {
	lh := size * lineGap
	for i, l := range ls {
		if err := d.text(x, y+float64(i)*lh, w, lh, l, size, align|gopdf.Middle); err != nil {
			return 0, err
		}
	}
	return float64(len(ls)) * lh, nil
}

func (d *doc) grey(level uint8) {
	d.pdf.SetTextColor(level, level, level)
}

func (d *doc) black() {
	d.pdf.SetTextColor(0, 0, 0)
}

func (d *doc) rule(x1, y1, x2, y2 float64) {
	d.pdf.Line(x1, y1, x2, y2)
}

// box outlines a rectangle with four lines (lines, not "re": the QR code alone uses "re").
func (d *doc) box(x, y, w, h float64) {
	d.rule(x, y, x+w, y)
	d.rule(x, y+h, x+w, y+h)
	d.rule(x, y, x, y+h)
	d.rule(x+w, y, x+w, y+h)
}

func (d *doc) shade(x, y, w, h float64) {
	d.pdf.SetFillColor(shadeGrey, shadeGrey, shadeGrey)
	d.pdf.RectFromUpperLeftWithStyle(x, y, w, h, "F")
	d.pdf.SetFillColor(0, 0, 0) // text is filled with the fill colour too
}

// wrap breaks s (already clean) into lines no wider than w at size points. Runs
// of Latin letters and digits stay whole when they fit on a line, closing
// punctuation never starts a line, and at most max lines are kept: the last
// one kept ends in "…" when text was cut. max ≤ 0 keeps every line.
func (d *doc) wrap(s string, w, size float64, max int) []string {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil
	}
	var (
		out  []string
		line []rune
		lw   float64
	)
	flush := func() {
		out = append(out, strings.TrimRight(string(line), " "))
		line, lw = line[:0], 0
	}
	for _, tok := range tokens(s) {
		tw := d.face.width(string(tok), size)
		if lw+tw > w+fitSlack && len(line) > 0 {
			flush()
			if tok[0] == ' ' {
				continue
			}
		}
		if tw > w+fitSlack { // a token wider than a line: break it anywhere
			for _, r := range tok {
				rw := d.face.runeWidth(r, size)
				if lw+rw > w+fitSlack && len(line) > 0 {
					flush()
				}
				line = append(line, r)
				lw += rw
			}
			continue
		}
		line = append(line, tok...)
		lw += tw
	}
	if len(line) > 0 {
		flush()
	}
	if max > 0 && len(out) > max {
		out = out[:max]
		out[max-1] = d.ellipsis(out[max-1]+"…", w, size)
	}
	return out
}

// fitSlack absorbs rounding when text exactly as wide as its box is measured.
const fitSlack = 0.01

// ellipsis shortens s to fit w, ending it in "…" when it had to cut.
func (d *doc) ellipsis(s string, w, size float64) string {
	if d.face.width(s, size) <= w+fitSlack {
		return s
	}
	rs := []rune(strings.TrimSuffix(s, "…"))
	ew := d.face.runeWidth('…', size)
	for len(rs) > 0 && d.face.width(string(rs), size)+ew > w {
		rs = rs[:len(rs)-1]
	}
	return strings.TrimRight(string(rs), " ") + "…"
}

// tokens splits s into the units wrap keeps together: a run of Latin letters,
// digits and joiners, a single other character, or a space; closing
// punctuation sticks to the token before it.
func tokens(s string) [][]rune {
	var out [][]rune
	for _, r := range s {
		n := len(out)
		switch {
		case n > 0 && closing(r):
			out[n-1] = append(out[n-1], r)
		case n > 0 && latin(r) && latin(out[n-1][len(out[n-1])-1]):
			out[n-1] = append(out[n-1], r)
		default:
			out = append(out, []rune{r})
		}
	}
	return out
}

func latin(r rune) bool {
	return r < 0x80 && (unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune("._-@:/?&=%#+,", r))
}

func closing(r rune) bool {
	return strings.ContainsRune("，。、；：？！）》」』】〉”’…,.;:!?)]}%", r)
}
