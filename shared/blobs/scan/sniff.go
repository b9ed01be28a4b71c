package scan

import (
	"bytes"
	"encoding/binary"
	"mime"
	"strings"
)

// The content types Sniff recognises: those the catalog allows for
// materials (JPEG and PNG by default, ZIP for declaration files) and a
// few more a material may come to allow.
const (
	JPEG = "image/jpeg"
	PNG  = "image/png"
	GIF  = "image/gif"
	BMP  = "image/bmp"
	TIFF = "image/tiff"
	PDF  = "application/pdf"
	ZIP  = "application/zip"
	XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
)

// HeadLen is how many leading bytes of a file to give Sniff: the magic
// numbers need a few, but telling an xlsx from another ZIP means walking
// the first local file headers to a name under xl/, which spreadsheet
// writers put within the first few entries.
const HeadLen = 4096

// Sniff returns the content type of a file from its first bytes (head,
// ideally HeadLen of them) by magic number, or "" when it is none of the
// types above. The upload policy only makes the browser's claimed type
// stick; the bytes may still be anything, so the server compares the
// claim with what Sniff finds (Matches).
func Sniff(head []byte) string {
	h := string(head)
	switch {
	case strings.HasPrefix(h, "\xFF\xD8\xFF"):
		return JPEG
	case strings.HasPrefix(h, "\x89PNG\r\n\x1a\n"):
		return PNG
	case strings.HasPrefix(h, "%PDF-"):
		return PDF
	case strings.HasPrefix(h, "GIF87a"), strings.HasPrefix(h, "GIF89a"):
		return GIF
	case strings.HasPrefix(h, "II*\x00"), strings.HasPrefix(h, "MM\x00*"), // TIFF
		strings.HasPrefix(h, "II+\x00"), strings.HasPrefix(h, "MM\x00+"): // BigTIFF
		return TIFF
	case isBMP(head):
		return BMP
	case strings.HasPrefix(h, "PK\x03\x04"):
		return zipType(head)
	case strings.HasPrefix(h, "PK\x05\x06"): // an empty archive: only the end record
		return ZIP
	}
	return ""
}

// isBMP checks "BM" and, since two letters prove little, that the DIB
// header that follows the 14-byte file header has a known size.
func isBMP(b []byte) bool {
	if len(b) < 18 || b[0] != 'B' || b[1] != 'M' {
		return false
	}
	switch binary.LittleEndian.Uint32(b[14:]) {
	case 12, 40, 52, 56, 64, 108, 124:
		return true
	}
	return false
}

// zipType walks the local file headers in head: a name under xl/ makes
// the archive an xlsx; one under word/ or ppt/ (a Word or PowerPoint
// file) a plain ZIP; "[Content_Types].xml" alone (an Office file whose
// distinguishing entries lie beyond head) an xlsx too, as the only
// Office type materials use.
func zipType(head []byte) string {
	const hdrLen = 30
	office := false
	for off := 0; off+hdrLen <= len(head) && string(head[off:off+4]) == "PK\x03\x04"; {
		flags := binary.LittleEndian.Uint16(head[off+6:])
		csize := int64(binary.LittleEndian.Uint32(head[off+18:]))
		nameLen := int(binary.LittleEndian.Uint16(head[off+26:]))
		extraLen := int(binary.LittleEndian.Uint16(head[off+28:]))
		nameEnd := off + hdrLen + nameLen
		name := string(head[off+hdrLen : min(nameEnd, len(head))])
		switch {
		case strings.HasPrefix(name, "xl/"):
			return XLSX
		case strings.HasPrefix(name, "word/"), strings.HasPrefix(name, "ppt/"):
			return ZIP
		case name == "[Content_Types].xml":
			office = true
		}
		data := nameEnd + extraLen
		if data >= len(head) {
			break
		}
		if flags&0x8 != 0 && csize == 0 {
			// The sizes follow the data (a streaming writer such as Go's
			// archive/zip): look for the next header instead.
			i := bytes.Index(head[data:], []byte("PK\x03\x04"))
			if i < 0 {
				break
			}
			off = data + i
			continue
		}
		next := int64(data) + csize
		if next >= int64(len(head)) {
			break
		}
		off = int(next)
	}
	if office {
		return XLSX
	}
	return ZIP
}

// aliases maps content types browsers and old tools send to the ones
// Sniff returns.
var aliases = map[string]string{
	"image/jpg":                    JPEG,
	"image/pjpeg":                  JPEG,
	"image/x-png":                  PNG,
	"image/x-ms-bmp":               BMP,
	"image/x-bmp":                  BMP,
	"application/x-pdf":            PDF,
	"application/x-zip-compressed": ZIP, // Windows' name for .zip
	"application/x-zip":            ZIP,
	"application/zip-compressed":   ZIP,
}

// Canonical returns declared without parameters, in lower case, with
// aliases (image/jpg, application/x-zip-compressed, ...) replaced by the
// type Sniff returns.
func Canonical(declared string) string {
	mt, _, err := mime.ParseMediaType(declared)
	if err != nil {
		mt = strings.ToLower(strings.TrimSpace(declared))
	}
	if a, ok := aliases[mt]; ok {
		return a
	}
	return mt
}

// Matches reports whether a file whose first bytes are head is of the
// declared content type. A declared ZIP accepts any ZIP (an xlsx
// included); a declared xlsx wants a ZIP with spreadsheet entries. A type
// Sniff does not know never matches: without a magic number there is
// nothing to check the claim against, so the caller must decide.
func Matches(declared string, head []byte) bool {
	want, got := Canonical(declared), Sniff(head)
	switch {
	case got == "":
		return false
	case want == ZIP:
		return got == ZIP || got == XLSX
	default:
		return got == want
	}
}
