package contributionsapi

import (
	"archive/zip"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// writeSheet writes an .xlsx workbook of one sheet: the given column
// widths (in characters, from column A) and rows, each cell an int or a
// string (an empty string is a blank cell); strings are inline, so the
// book needs no shared-string table.
//
// It is written by hand rather than with excelize, which the function
// keeps for reading uploaded declarations only: excelize's writing path
// (File.Write, StreamWriter.SetColWidth) copies column settings with
// github.com/tiendc/go-deepcopy, which calls reflect.Value.Method, and a
// reachable call of that keeps every exported method of every type in the
// binary. Without it the arm64 bootstrap is about 12 MiB smaller
// (docs/performance.md, "Cold start").
func writeSheet(w io.Writer, sheet string, widths []float64, rows [][]any) error {
	zw := zip.NewWriter(w)
	var sb strings.Builder
	sb.WriteString(xml.Header)
	sb.WriteString(`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><cols>`)
	for i, wd := range widths {
		fmt.Fprintf(&sb, `<col min="%d" max="%d" width="%s" customWidth="1"/>`, i+1, i+1, strconv.FormatFloat(wd, 'f', -1, 64))
	}
	sb.WriteString(`</cols><sheetData>`)
	for r, row := range rows {
		fmt.Fprintf(&sb, `<row r="%d">`, r+1)
		for c, v := range row {
			ref := columnName(c) + strconv.Itoa(r+1)
			switch v := v.(type) {
			case int:
				fmt.Fprintf(&sb, `<c r="%s"><v>%d</v></c>`, ref, v)
			case string:
				if v == "" {
					// A blank cell: the grid stays whole for whoever
					// fills the template's cells in place.
					fmt.Fprintf(&sb, `<c r="%s"/>`, ref)
					continue
				}
				fmt.Fprintf(&sb, `<c r="%s" t="inlineStr"><is><t xml:space="preserve">`, ref)
				if err := xml.EscapeText(&sb, []byte(v)); err != nil {
					return err
				}
				sb.WriteString(`</t></is></c>`)
			default:
				return fmt.Errorf("writeSheet: cell %s: unsupported %T", ref, v)
			}
		}
		sb.WriteString(`</row>`)
	}
	sb.WriteString(`</sheetData></worksheet>`)

	var name strings.Builder
	if err := xml.EscapeText(&name, []byte(sheet)); err != nil {
		return err
	}
	parts := []struct{ path, body string }{
		{"[Content_Types].xml", xml.Header + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
			`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
			`<Default Extension="xml" ContentType="application/xml"/>` +
			`<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>` +
			`<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>` +
			`<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>` +
			`</Types>`},
		{"_rels/.rels", xml.Header + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>` +
			`</Relationships>`},
		{"xl/workbook.xml", xml.Header + `<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ` +
			`xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">` +
			`<sheets><sheet name="` + name.String() + `" sheetId="1" r:id="rId1"/></sheets></workbook>`},
		{"xl/_rels/workbook.xml.rels", xml.Header + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>` +
			`<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>` +
			`</Relationships>`},
		{"xl/styles.xml", xml.Header + `<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">` +
			`<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>` +
			`<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>` +
			`<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>` +
			`<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>` +
			`<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>` +
			`</styleSheet>`},
		{"xl/worksheets/sheet1.xml", sb.String()},
	}
	for _, p := range parts {
		pw, err := zw.Create(p.path)
		if err != nil {
			return err
		}
		if _, err := io.WriteString(pw, p.body); err != nil {
			return err
		}
	}
	return zw.Close()
}

// columnName is the letters of the 0-based column c: A … Z, AA, ….
func columnName(c int) string {
	var b []byte
	for c++; c > 0; c = (c - 1) / 26 {
		b = append([]byte{byte('A' + (c-1)%26)}, b...)
	}
	return string(b)
}
