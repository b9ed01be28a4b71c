package scan_test

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"testing"

	"github.com/hljhrss/hrss/shared/blobs/scan"
)

// zipOf writes an archive with the named entries, each holding some
// text; raw writes the sizes into the local headers (as Excel does)
// instead of into data descriptors after the data (as Go's writer does).
func zipOf(t *testing.T, raw bool, names ...string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range names {
		body := bytes.Repeat([]byte("<xml>"+name+"</xml>"), 20)
		if raw {
			w, err := zw.CreateRaw(&zip.FileHeader{Name: name, Method: zip.Store, CompressedSize64: uint64(len(body)), UncompressedSize64: uint64(len(body))})
			if err != nil {
				t.Fatal(err)
			}
			w.Write(body)
			continue
		}
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(body)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func bmp(dibSize uint32) []byte {
	b := make([]byte, 54)
	copy(b, "BM")
	binary.LittleEndian.PutUint32(b[14:], dibSize)
	return b
}

func TestSniff(t *testing.T) {
	xlsxNames := []string{"[Content_Types].xml", "_rels/.rels", "docProps/app.xml", "xl/workbook.xml", "xl/worksheets/sheet1.xml"}
	xlsx := zipOf(t, false, xlsxNames...)
	tests := []struct {
		name string
		head []byte
		want string
	}{
		{"jpeg", []byte("\xFF\xD8\xFF\xE0\x00\x10JFIF\x00"), scan.JPEG},
		{"jpeg exif", []byte("\xFF\xD8\xFF\xE1\x12\x34Exif"), scan.JPEG},
		{"png", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), scan.PNG},
		{"pdf", []byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3"), scan.PDF},
		{"gif87a", []byte("GIF87a\x01\x00"), scan.GIF},
		{"gif89a", []byte("GIF89a\x01\x00"), scan.GIF},
		{"bmp", bmp(40), scan.BMP},
		{"bmp v5", bmp(124), scan.BMP},
		{"BM text", []byte("BMW is a car maker, not a bitmap."), ""},
		{"tiff little-endian", []byte("II*\x00\x08\x00\x00\x00"), scan.TIFF},
		{"tiff big-endian", []byte("MM\x00*\x00\x00\x00\x08"), scan.TIFF},
		{"xlsx, data descriptors", xlsx, scan.XLSX},
		{"xlsx, sizes in headers", zipOf(t, true, xlsxNames...), scan.XLSX},
		{"xlsx, xl/ first", zipOf(t, true, "xl/workbook.xml"), scan.XLSX},
		{"xlsx cut after its first header", xlsx[:60], scan.XLSX},
		{"docx", zipOf(t, true, "[Content_Types].xml", "_rels/.rels", "word/document.xml"), scan.ZIP},
		{"zip", zipOf(t, false, "工资表.csv", "说明.txt"), scan.ZIP},
		{"zip, sizes in headers", zipOf(t, true, "a/b.txt", "a/xl/c.txt"), scan.ZIP},
		{"empty zip", zipOf(t, false), scan.ZIP},
		{"zip magic only", []byte("PK\x03\x04"), scan.ZIP},
		{"text", []byte("hello"), ""},
		{"html", []byte("<!DOCTYPE html><script>"), ""},
		{"pdf not at start", []byte(" %PDF-1.7"), ""},
		{"empty", nil, ""},
		{"short jpeg", []byte("\xFF\xD8"), ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := scan.Sniff(tc.head); got != tc.want {
				t.Errorf("Sniff = %q, want %q", got, tc.want)
			}
		})
	}
}

// TestSniffNeverPanics feeds every prefix of some archives and some
// corrupted headers.
func TestSniffNeverPanics(t *testing.T) {
	for _, b := range [][]byte{zipOf(t, false, "[Content_Types].xml", "xl/a.xml"), zipOf(t, true, "a", "b")} {
		for i := range b {
			scan.Sniff(b[:i])
		}
	}
	bad := []byte("PK\x03\x04" + string(make([]byte, 22)) + "\xff\xff\xff\xff")
	scan.Sniff(bad)
	huge := []byte("PK\x03\x04\x14\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\xff\xff\xff\xff\x00\x00\x00\x00\x01\x00\x00\x00a")
	if got := scan.Sniff(huge); got != scan.ZIP {
		t.Errorf("Sniff(huge entry) = %q", got)
	}
}

func TestMatches(t *testing.T) {
	jpeg := []byte("\xFF\xD8\xFF\xE0")
	png := []byte("\x89PNG\r\n\x1a\n")
	xlsx := zipOf(t, false, "[Content_Types].xml", "xl/workbook.xml")
	plainZip := zipOf(t, false, "a.csv")
	tests := []struct {
		declared string
		head     []byte
		want     bool
	}{
		{"image/jpeg", jpeg, true},
		{"image/jpg", jpeg, true},
		{"IMAGE/JPEG", jpeg, true},
		{"image/pjpeg", jpeg, true},
		{"image/jpeg", png, false},
		{"image/png", png, true},
		{"image/png", jpeg, false},
		{"application/pdf", []byte("%PDF-1.4"), true},
		{"application/pdf", jpeg, false},
		{"application/zip", plainZip, true},
		{"application/zip", xlsx, true},
		{"application/x-zip-compressed", plainZip, true},
		{"application/zip", []byte("%PDF-1.4"), false},
		{scan.XLSX, xlsx, true},
		{scan.XLSX, plainZip, false},
		{scan.XLSX, []byte("%PDF-1.4"), false},
		{"image/gif", []byte("GIF89a"), true},
		{"image/bmp", bmp(40), true},
		{"image/tiff", []byte("II*\x00"), true},
		{"text/plain", []byte("hello"), false},
		{"text/html", []byte("<html>"), false},
		{"", jpeg, false},
		{"image/jpeg; charset=binary", jpeg, true},
	}
	for _, tc := range tests {
		if got := scan.Matches(tc.declared, tc.head); got != tc.want {
			t.Errorf("Matches(%q, %q...) = %v, want %v", tc.declared, tc.head[:min(8, len(tc.head))], got, tc.want)
		}
	}
}

func TestCanonical(t *testing.T) {
	for in, want := range map[string]string{
		"image/jpg":                    scan.JPEG,
		"Image/JPEG":                   scan.JPEG,
		"application/x-zip-compressed": scan.ZIP,
		"application/pdf; foo=bar":     scan.PDF,
		"text/plain":                   "text/plain",
	} {
		if got := scan.Canonical(in); got != want {
			t.Errorf("Canonical(%q) = %q, want %q", in, got, want)
		}
	}
}
