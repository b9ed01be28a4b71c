package receipt

import (
	"bytes"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"unicode/utf16"
)

// gopdf (v0.33.0) writes a ToUnicode destination as the bare hex of the code
// point, so U+20164 comes out as <20164>. Destinations are UTF-16BE: readers
// misread that, and some (github.com/ledongthuc/pdf) fail on it. fixToUnicode
// rewrites such entries as surrogate pairs (<D840DD64>) and repairs what the
// longer stream shifts: its /Length, the cross-reference table and startxref.
// A PDF without characters above U+FFFF comes back unchanged.

var (
	wideDest   = regexp.MustCompile(`<([0-9A-F]{4})><([0-9A-F]{4})><([0-9A-F]{5,6})>`)
	lengthKey  = []byte("/Length ")
	streamKey  = []byte("stream\n")
	bfrangeKey = []byte("beginbfrange")
	xrefKey    = []byte("\nxref\n")
	startxref  = []byte("startxref\n")
)

// edit replaces b[start:end] with repl.
type edit struct {
	start, end int
	repl       []byte
}

func fixToUnicode(b []byte) ([]byte, error) {
	var edits []edit
	for from := 0; ; {
		i := bytes.Index(b[from:], bfrangeKey)
		if i < 0 {
			break
		}
		e, next, err := toUnicodeEdits(b, from+i)
		if err != nil {
			return nil, fmt.Errorf("fix ToUnicode: %w", err)
		}
		edits = append(edits, e...)
		from = next
	}
	if len(edits) == 0 {
		return b, nil
	}
	x, err := xrefEdits(b, edits)
	if err != nil {
		return nil, fmt.Errorf("fix ToUnicode: %w", err)
	}
	edits = append(edits, x...)
	slices.SortFunc(edits, func(a, b edit) int { return a.start - b.start })
	var out bytes.Buffer
	out.Grow(len(b) + 64)
	at := 0
	for _, e := range edits {
		out.Write(b[at:e.start])
		out.Write(e.repl)
		at = e.end
	}
	out.Write(b[at:])
	return out.Bytes(), nil
}

// toUnicodeEdits rewrites the wide destinations of the CMap stream around
// position i, and its /Length when it changes; next is where the stream ends.
func toUnicodeEdits(b []byte, i int) (edits []edit, next int, err error) {
	start := bytes.LastIndex(b[:i], streamKey)
	end := bytes.Index(b[i:], []byte("endstream"))
	if start < 0 || end < 0 {
		return nil, 0, fmt.Errorf("no stream around the CMap at %d", i)
	}
	start += len(streamKey)
	end += i
	body := b[start:end]
	fixed := wideDest.ReplaceAllFunc(body, func(m []byte) []byte {
		sub := wideDest.FindSubmatch(m)
		cp, _ := strconv.ParseUint(string(sub[3]), 16, 32)
		hi, lo := utf16.EncodeRune(rune(cp))
		return fmt.Appendf(nil, "<%s><%s><%04X%04X>", sub[1], sub[2], hi, lo)
	})
	if bytes.Equal(fixed, body) {
		return nil, end, nil
	}
	l := bytes.LastIndex(b[:start], lengthKey)
	if l < 0 {
		return nil, 0, fmt.Errorf("CMap stream at %d has no /Length", start)
	}
	l += len(lengthKey)
	n := l
	for n < len(b) && b[n] >= '0' && b[n] <= '9' {
		n++
	}
	if old, err := strconv.Atoi(string(b[l:n])); err != nil || old != len(body) {
		return nil, 0, fmt.Errorf("CMap stream at %d: /Length %q, stream is %d bytes", start, b[l:n], len(body))
	}
	return []edit{
		{l, n, strconv.AppendInt(nil, int64(len(fixed)), 10)},
		{start, end, fixed},
	}, end, nil
}

// xrefEdits moves every offset in the (single, classic) cross-reference table
// and startxref by what the earlier edits add before it.
func xrefEdits(b []byte, edits []edit) ([]edit, error) {
	shift := func(pos int) int {
		d := 0
		for _, e := range edits {
			if e.end <= pos {
				d += len(e.repl) - (e.end - e.start)
			}
		}
		return pos + d
	}
	x := bytes.LastIndex(b, xrefKey)
	s := bytes.LastIndex(b, startxref)
	if x < 0 || s < x {
		return nil, fmt.Errorf("no cross-reference table")
	}
	x++ // the offset of "xref"
	var out []edit
	// Entries are 20 bytes: "nnnnnnnnnn ggggg n \n"; the subsection header is one line.
	p := x + len("xref\n")
	p += bytes.IndexByte(b[p:], '\n') + 1
	for p+20 <= s && (b[p+17] == 'n' || b[p+17] == 'f') {
		if b[p+17] == 'n' {
			off, err := strconv.Atoi(string(b[p : p+10]))
			if err != nil {
				return nil, fmt.Errorf("cross-reference entry at %d: %w", p, err)
			}
			out = append(out, edit{p, p + 10, fmt.Appendf(nil, "%010d", shift(off))})
		}
		p += 20
	}
	s += len(startxref)
	e := s
	for e < len(b) && b[e] >= '0' && b[e] <= '9' {
		e++
	}
	if old, err := strconv.Atoi(string(b[s:e])); err != nil || old != x {
		return nil, fmt.Errorf("startxref %q does not point at the table (%d)", b[s:e], x)
	}
	return append(out, edit{s, e, strconv.AppendInt(nil, int64(shift(x)), 10)}), nil
}
