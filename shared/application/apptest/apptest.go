// Package apptest helps tests fill in applications the way a person does:
// sample values for every field type, tried in order until the form takes
// one, and the smallest files the magic-bytes check accepts. For tests and
// the load tool (infra/cmd/hrss-load); nothing deployed imports it.
package apptest

import (
	"archive/zip"
	"bytes"
	"fmt"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/hljhrss/hrss/shared/catalog"
	"github.com/hljhrss/hrss/shared/checks"
)

// Files the magic-bytes check takes for their type.
var (
	PNG = append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{0}, 64)...)
	ZIP = append([]byte("PK\x03\x04"), bytes.Repeat([]byte{0}, 64)...)
)

// Sample resident ID numbers (GB 11643, valid check characters).
var (
	MaleID   = residentID("23090219780111001") // born 1978-01-11, 男
	FemaleID = residentID("23090219800229002") // born 1980-02-29, 女
)

func residentID(body17 string) string { return body17 + string(checks.IDCheckChar(body17)) }

// Candidates are sample values for f, tried in order until the form
// accepts one (cross-field rules may refuse the first).
func Candidates(f catalog.Field) []string {
	switch f.Type {
	case catalog.TypeText:
		if f.Format == "personName" {
			return []string{"刘一"}
		}
		return []string{"七台河市桃山区"}
	case catalog.TypeCode:
		return []string{"23099923090111101656"}
	case catalog.TypeDate:
		if strings.Contains(f.Key, "irth") {
			return []string{"1978-01-11", "1980-02-29"}
		}
		return []string{"2022-05-01", "2000-01-01", "2022-04-01"}
	case catalog.TypeYearMonth:
		return []string{"2022-05", "2000-01", "2022-06"}
	case catalog.TypeYear:
		return []string{"2022"}
	case catalog.TypeMonth:
		return []string{"05"}
	case catalog.TypeEnum:
		t, ok := catalog.Default().Tables().Table(f.Enum)
		if !ok {
			return []string{"x"}
		}
		var out []string
		for _, e := range t.Current() {
			out = append(out, e.Code)
		}
		return out
	case catalog.TypeMoney, catalog.TypeNumber:
		return []string{"6000"}
	case catalog.TypeRatio:
		return []string{"0.60"}
	case catalog.TypeInteger:
		return []string{"60"}
	case catalog.TypeIDNumber, catalog.TypeSocialSecurityNumber:
		return []string{MaleID, FemaleID}
	case catalog.TypeMobile:
		return []string{"13009998888"}
	case catalog.TypePhone:
		return []string{"0464-8281234"}
	case catalog.TypePostcode:
		return []string{"154600"}
	case catalog.TypeEmail:
		return []string{"hr@example.com"}
	case catalog.TypeBankAccount:
		body := "622848006001234567"
		for d := '0'; d <= '9'; d++ {
			if checks.Luhn(body + string(d)) {
				return []string{body + string(d)}
			}
		}
	case catalog.TypeUSCC:
		org := "MA1BXJ7K" + string(checks.OrgCodeCheckChar("MA1BXJ7K"))
		first := "91230900" + org
		return []string{first + string(checks.CreditCodeCheckChar(first))}
	case catalog.TypeOrgCode:
		return []string{"MA1BXJ7K" + string(checks.OrgCodeCheckChar("MA1BXJ7K"))}
	case catalog.TypeRegionCode:
		if f.Enum == "poolingArea" {
			return []string{"230999"}
		}
		return []string{"230903", "230902"}
	}
	return []string{"x"}
}

// Filler fills a form in rounds: Start gives every empty field its first
// sample; Retry moves each field with an error to its next sample. A
// field prefilled from the records is never changed (the submit compares
// it): its error moves the typed-in dates instead.
type Filler struct {
	B         *catalog.Business
	Fields    map[string]string
	Prefilled map[string]bool
	tries     map[string]int
}

// NewFiller starts from the draft's prefilled values.
func NewFiller(b *catalog.Business, prefilled map[string]string) *Filler {
	f := &Filler{B: b, Fields: map[string]string{}, Prefilled: map[string]bool{}, tries: map[string]int{}}
	for k, v := range prefilled {
		f.Fields[k], f.Prefilled[k] = v, true
	}
	for _, fd := range b.Fields {
		if _, ok := f.Fields[fd.Key]; !ok {
			f.Fields[fd.Key] = Candidates(fd)[0]
		}
	}
	return f
}

// Retry changes the fields behind errs (field key → message).
func (f *Filler) Retry(errs map[string]string) {
	for k := range errs {
		keys := []string{k}
		if f.Prefilled[k] {
			keys = keys[:0]
			for _, fd := range f.B.Fields {
				if !f.Prefilled[fd.Key] && (fd.Type == catalog.TypeDate || fd.Type == catalog.TypeYearMonth) {
					keys = append(keys, fd.Key)
				}
			}
		}
		for _, k := range keys {
			fd, ok := f.B.Field(k)
			if !ok {
				continue
			}
			cs := Candidates(*fd)
			f.tries[k]++
			f.Fields[k] = cs[f.tries[k]%len(cs)]
		}
	}
}

// Rows is one repeating row of sample values, for a business with them.
func Rows(b *catalog.Business) []map[string]string {
	if b.RepeatingRows == nil {
		return nil
	}
	row := map[string]string{}
	for _, f := range b.RepeatingRows.Fields {
		row[f.Key] = Candidates(f)[0]
	}
	return []map[string]string{row}
}

// Needed lists the materials a submit needs: every required one and the
// first of each one-of group.
func Needed(b *catalog.Business) []*catalog.Material {
	var out []*catalog.Material
	groups := map[string]bool{}
	for i := range b.Materials {
		m := &b.Materials[i]
		if !m.Required && (m.OneOf == "" || groups[m.OneOf]) {
			continue
		}
		groups[m.OneOf] = true
		out = append(out, m)
	}
	return out
}

// File is a file for m: a PNG where m takes one, else a ZIP.
func File(m *catalog.Material) (data []byte, contentType string) {
	for _, t := range m.Types {
		if t == "image/png" {
			return PNG, t
		}
	}
	return ZIP, m.Types[0]
}

// FillDeclaration fills 5.2's downloaded declaration ZIP as a unit does:
// every employee row of the workbook gets wage in the column headed
// wageColumn, and the ZIP is rebuilt with the same entry name.
func FillDeclaration(template []byte, wageColumn, wage string) ([]byte, error) {
	zr, err := zip.NewReader(bytes.NewReader(template), int64(len(template)))
	if err != nil {
		return nil, err
	}
	if len(zr.File) != 1 {
		return nil, fmt.Errorf("apptest: template holds %d files, want 1", len(zr.File))
	}
	rc, err := zr.File[0].Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	f, err := excelize.OpenReader(rc)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	sheet := f.GetSheetName(0)
	rows, err := f.GetRows(sheet)
	if err != nil {
		return nil, err
	}
	col := -1
	for i, h := range rows[0] {
		if h == wageColumn {
			col = i
		}
	}
	if col < 0 {
		return nil, fmt.Errorf("apptest: no column %s", wageColumn)
	}
	for r := 2; r <= len(rows); r++ {
		cell, _ := excelize.CoordinatesToCellName(col+1, r)
		if err := f.SetCellStr(sheet, cell, wage); err != nil {
			return nil, err
		}
	}
	var book, out bytes.Buffer
	if err := f.Write(&book); err != nil {
		return nil, err
	}
	zw := zip.NewWriter(&out)
	w, err := zw.Create(zr.File[0].Name)
	if err != nil {
		return nil, err
	}
	if _, err := w.Write(book.Bytes()); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}
