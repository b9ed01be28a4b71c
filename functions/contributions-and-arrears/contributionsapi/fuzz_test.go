package contributionsapi

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"regexp"
	"testing"

	"github.com/hljhrss/hrss/infra/demo"
	"github.com/hljhrss/hrss/shared/apperr"
	"github.com/hljhrss/hrss/shared/application"
)

var han = regexp.MustCompile(`\p{Han}`)

// wantRefusalOrReport fails unless checkDeclaration's answer is what an
// applicant can read: a report whose every line is Chinese, or a client
// error (4xx) with a Chinese message.
func wantRefusalOrReport(t *testing.T, rep *application.FileReport, err error) {
	t.Helper()
	if err != nil {
		e := apperr.As(err)
		if s := apperr.Status(e.Code); s < 400 || s >= 500 || !han.MatchString(e.Message) {
			t.Fatalf("refused with %d %q (%v)", s, e.Message, err)
		}
		return
	}
	if rep == nil {
		t.Fatal("neither a report nor an error")
	}
	for _, c := range append(append([]application.CellReport{}, rep.Errors...), rep.Warnings...) {
		if !han.MatchString(c.Message) {
			t.Fatalf("row %d %s: %q", c.Row, c.Column, c.Message)
		}
	}
}

// FuzzDeclarationFile: whatever bytes a unit uploads as its 5.2
// declaration (a ZIP holding a workbook), the check never panics and
// answers in Chinese.
func FuzzDeclarationFile(f *testing.F) {
	ls, refs := seeded(f)
	f.Add(declarationZip(f, [][]string{{demo.PersonRefund, "刘桂芳", "4538.00"}}))
	f.Add(zipOf(f, "a.xlsx", "not a workbook"))
	f.Add(zipOf(f, "a.txt", "x"))
	f.Add([]byte("PK\x03\x04"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		rep, err := checkDeclaration(context.Background(), input(ls, refs, demo.UnitMachinery, data))
		wantRefusalOrReport(t, rep, err)
	})
}

// FuzzDeclarationSheet: the workbook's own XML, where a ZIP-level
// mutation rarely reaches, is the fuzzed part: the sheet and the shared
// strings of a real declaration are replaced by the fuzzer's, inside a
// well-formed ZIP. The check never panics and answers in Chinese.
func FuzzDeclarationSheet(f *testing.F) {
	ls, refs := seeded(f)
	book := innerBook(f, declarationZip(f, [][]string{{demo.PersonRefund, "刘桂芳", "4538.00"}, {demo.PersonBaseDiff, "孙志强", "12.345"}}))
	parts := parts(f, book)
	f.Add(parts["xl/worksheets/sheet1.xml"], parts["xl/sharedStrings.xml"])
	f.Add([]byte(`<worksheet><sheetData><row r="1"><c r="A1" t="s"><v>99</v></c></row></sheetData></worksheet>`), []byte(`<sst/>`))
	f.Add([]byte(`<worksheet><sheetData><row r="0"><c r="XFE1048577"><v>1e309</v></c></row></sheetData></worksheet>`), []byte{})
	f.Fuzz(func(t *testing.T, sheet, shared []byte) {
		data := rezip(t, map[string][]byte{"申报.xlsx": rezip(t, parts, map[string][]byte{
			"xl/worksheets/sheet1.xml": sheet, "xl/sharedStrings.xml": shared})}, nil)
		rep, err := checkDeclaration(context.Background(), input(ls, refs, demo.UnitMachinery, data))
		wantRefusalOrReport(t, rep, err)
	})
}

// innerBook is the workbook inside a declaration ZIP.
func innerBook(t testing.TB, data []byte) []byte {
	b, err := workbook(data)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// parts reads every entry of a ZIP.
func parts(t testing.TB, data []byte) map[string][]byte {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, zf := range zr.File {
		rc, err := zf.Open()
		if err != nil {
			t.Fatal(err)
		}
		out[zf.Name], err = io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// rezip writes the entries of base, those of over replacing them, as a
// ZIP.
func rezip(t testing.TB, base, over map[string][]byte) []byte {
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for name, b := range base {
		if o, ok := over[name]; ok {
			b = o
		}
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(b); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}
