package contributionsapi

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"

	"github.com/hljhrss/hrss/infra/demo"
	"github.com/hljhrss/hrss/shared/application"
	"github.com/hljhrss/hrss/shared/application/apptest"
	"github.com/hljhrss/hrss/shared/catalog"
	"github.com/hljhrss/hrss/shared/clock"
	"github.com/hljhrss/hrss/shared/ledger"
	"github.com/hljhrss/hrss/shared/refdata/refstore"
	"github.com/hljhrss/hrss/shared/table/storetest"
)

var may10 = time.Date(2022, 5, 10, 9, 0, 0, 0, clock.Shanghai)

func seeded(t testing.TB) (*ledger.Store, *refstore.Store) {
	clk := clock.Frozen(may10)
	s := storetest.Bolt(t, clk)
	if _, err := demo.SeedIfEmpty(context.Background(), s, clk); err != nil {
		t.Fatal(err)
	}
	return ledger.NewStore(s, clk), refstore.New(s, clk)
}

// declarationZip builds a declaration as a unit would save it: rows of
// person number, name and wage under the template's header.
func declarationZip(t testing.TB, rows [][]string) []byte {
	f := excelize.NewFile()
	defer f.Close()
	sw, _ := f.NewStreamWriter("Sheet1")
	header := []any{}
	for _, c := range declarationColumns {
		header = append(header, c)
	}
	_ = sw.SetRow("A1", header)
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		_ = sw.SetRow(cell, []any{i + 1, r[0], r[1], "", r[2], ""})
	}
	if err := sw.Flush(); err != nil {
		t.Fatal(err)
	}
	var book, out bytes.Buffer
	if err := f.Write(&book); err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(&out)
	w, _ := zw.Create("申报.xlsx")
	_, _ = w.Write(book.Bytes())
	_ = zw.Close()
	return out.Bytes()
}

func input(ls *ledger.Store, refs *refstore.Store, unit string, data []byte) application.FileInput {
	b, _ := catalog.Default().Business(declarationBusiness)
	return application.FileInput{Business: b, Ledger: ls, Refs: refs,
		App:    &application.Application{Unit: unit, Fields: map[string]string{"year": "2022"}},
		Upload: application.Upload{Material: declarationMaterial},
		Open:   func(context.Context) ([]byte, error) { return data, nil }}
}

// TestDeclarationTemplateRoundTrip: the template lists the unit's current
// employees (ID numbers masked); filled in with plausible wages, it passes.
func TestDeclarationTemplateRoundTrip(t *testing.T) {
	ls, refs := seeded(t)
	unit, err := ls.Unit(t.Context(), demo.UnitMachinery)
	if err != nil {
		t.Fatal(err)
	}
	data, err := declarationTemplate(t.Context(), ls, unit)
	if err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil || len(zr.File) != 1 || zr.File[0].Name != unit.Name+"职工工资申报表.xlsx" {
		t.Fatalf("zip: %v %v", err, zr)
	}
	book, err := workbook(data)
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(book))
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := f.GetRows(declarationSheet)
	if len(rows) != 2 || rows[1][1] != demo.PersonRefund || !strings.Contains(rows[1][3], "****") {
		t.Fatalf("rows: %q", rows)
	}
	if diff := cmp.Diff(declarationColumns, rows[0]); diff != "" {
		t.Errorf("header (-want +got):\n%s", diff)
	}
	if rows[1][0] != "1" || len(rows[1]) != 4 {
		t.Errorf("first employee's row %q: want 1, number, name, masked ID and no wage", rows[1])
	}
	for i, want := range declarationWidths {
		col, _ := excelize.ColumnNumberToName(i + 1)
		if got, err := f.GetColWidth(declarationSheet, col); err != nil || got != want {
			t.Errorf("column %s width %v (%v), want %v", col, got, err, want)
		}
	}
	filled, err := apptest.FillDeclaration(data, colWage, "4538.00")
	if err != nil {
		t.Fatal(err)
	}
	rep, err := checkDeclaration(t.Context(), input(ls, refs, demo.UnitMachinery, filled))
	if err != nil || len(rep.Errors) != 0 || rep.Rows != 1 {
		t.Fatalf("filled template: %+v %v", rep, err)
	}
}

// TestDeclarationRowErrors: each bad row is named by row and column, in
// Chinese; implausible wages and employees left out are warnings.
func TestDeclarationRowErrors(t *testing.T) {
	ls, refs := seeded(t)
	data := declarationZip(t, [][]string{
		{demo.PersonRefund, "刘桂芳", "4538.00"}, // row 2: fine
		{demo.PersonBaseDiff, "孙志强", "5000"},  // row 3: another unit's
		{demo.PersonRefund, "刘桂芳", "4538.00"}, // row 4: twice
		{"", "", "3000"},                     // row 5: no person
		{demo.PersonRefund, "刘桂芳", ""},       // row 6: twice, and no wage
		{demo.PersonRefund, "刘桂芳", "-1"},     // row 7
		{demo.PersonRefund, "刘桂芳", "12.345"}, // row 8
		{"", "", ""}, // row 9: empty, skipped
	})
	rep, err := checkDeclaration(t.Context(), input(ls, refs, demo.UnitMachinery, data))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"3/人员编号":        "不是本单位在职职工",
		"4/人员编号":        "与第2行重复",
		"5/人员编号":        "请填写人员编号",
		"6/上年度月平均工资（元）": "请填写上年度月平均工资",
		"7/上年度月平均工资（元）": "大于0的金额",
		"8/上年度月平均工资（元）": "最多两位小数",
	}
	got := map[string]string{}
	for _, e := range rep.Errors {
		got[fmt.Sprintf("%d/%s", e.Row, e.Column)] = e.Message
	}
	for k, w := range want {
		if !strings.Contains(got[k], w) {
			t.Errorf("%s: %q, want %q", k, got[k], w)
		}
	}
	if rep.Rows != 7 {
		t.Errorf("rows %d, want 7 (the empty one skipped)", rep.Rows)
	}
	low := declarationZip(t, [][]string{{demo.PersonRefund, "刘桂芳", "100.00"}})
	rep, err = checkDeclaration(t.Context(), input(ls, refs, demo.UnitMachinery, low))
	if err != nil || len(rep.Errors) != 0 || len(rep.Warnings) != 1 || !strings.Contains(rep.Warnings[0].Message, "低于缴费基数下限") {
		t.Errorf("low wage: %+v %v", rep, err)
	}
	for name, tc := range map[string]struct {
		data []byte
		want error
	}{"not a zip": {[]byte("PK\x03\x04 not really"), errBadZip}, "no workbook": {zipOf(t, "a.txt", "x"), errNoWorkbook}} {
		if _, err := checkDeclaration(t.Context(), input(ls, refs, demo.UnitMachinery, tc.data)); err != tc.want {
			t.Errorf("%s: %v, want %v", name, err, tc.want)
		}
	}
}

func zipOf(t testing.TB, name, content string) []byte {
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	w, _ := zw.Create(name)
	_, _ = w.Write([]byte(content))
	_ = zw.Close()
	return out.Bytes()
}

// BenchmarkDeclaration10000Rows checks a declaration of 10,000 rows (most
// of them not employees of the demo unit: each is an error, of which the
// first 200 are listed).
func BenchmarkDeclaration10000Rows(b *testing.B) {
	ls, refs := seeded(b)
	rows := make([][]string, 10000)
	for i := range rows {
		rows[i] = []string{fmt.Sprintf("23099%05d", i), "职工", "4538.00"}
	}
	rows[0][0] = demo.PersonRefund
	data := declarationZip(b, rows)
	b.ReportMetric(float64(len(data)), "zip-bytes")
	b.ResetTimer()
	for b.Loop() {
		rep, err := checkDeclaration(context.Background(), input(ls, refs, demo.UnitMachinery, data))
		if err != nil || rep.Rows != 10000 || !rep.Truncated {
			b.Fatalf("%+v %v", rep.Rows, err)
		}
	}
}

// TestDeclarationProgress: a long file's check reports the rows it has
// read every 2,000 rows, for the portal to show.
func TestDeclarationProgress(t *testing.T) {
	ls, refs := seeded(t)
	rows := make([][]string, 5000)
	for i := range rows {
		rows[i] = []string{demo.PersonRefund, "刘桂芳", "4538.00"}
	}
	in := input(ls, refs, demo.UnitMachinery, declarationZip(t, rows))
	var seen []int
	in.Progress = func(_ context.Context, n int) { seen = append(seen, n) }
	rep, err := checkDeclaration(t.Context(), in)
	if err != nil || rep.Rows != 5000 {
		t.Fatalf("%+v %v", rep, err)
	}
	if fmt.Sprint(seen) != "[2000 4000]" {
		t.Errorf("progress %v, want [2000 4000]", seen)
	}
}

func TestColumnName(t *testing.T) {
	for c, want := range map[int]string{0: "A", 5: "F", 25: "Z", 26: "AA", 51: "AZ", 701: "ZZ", 702: "AAA"} {
		if got := columnName(c); got != want {
			t.Errorf("columnName(%d) = %q, want %q", c, got, want)
		}
	}
}
