package recordtable_test

import (
	"io/fs"
	"os"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"

	"github.com/hljhrss/hrss/shared/apperr"
	"github.com/hljhrss/hrss/shared/calc"
	"github.com/hljhrss/hrss/shared/catalog"
	"github.com/hljhrss/hrss/shared/clock"
	"github.com/hljhrss/hrss/shared/codetable"
	"github.com/hljhrss/hrss/shared/ledger"
	"github.com/hljhrss/hrss/shared/recordtable"
	"github.com/hljhrss/hrss/shared/refdata"
	"github.com/hljhrss/hrss/shared/refdata/refstore"
	"github.com/hljhrss/hrss/shared/table"
	"github.com/hljhrss/hrss/shared/table/storetest"
)

var day = time.Date(2022, 5, 10, 9, 0, 0, 0, clock.Shanghai)

func ym(s string) calc.YearMonth { return calc.MustYearMonth(s) }

const (
	person = "2309000001"
	unit   = "2309900001"
)

// fixture is a small ledger: one unit, one person with a spell, a paid and
// an unpaid month of 2020, a base difference of 2020 and an unpaid month of
// 2024, a grade and a benefit.
func fixture() []ledger.Record {
	u := ledger.Unit{Number: unit, CreditCode: "91350100M000100Y43", Name: "七台河市测试有限公司", Type: "企业", PoolingArea: "230999"}
	p := ledger.Person{Number: person, IDNumber: "11010519491231002X", Name: "测试", Gender: calc.Female,
		BirthDate: calc.MustDate("1949-12-31"), Identity: calc.Worker, InsuredType: ledger.InsuredEmployee, Status: "参保缴费",
		FirstInsured: ym("202001"), Account: ledger.Account{Balance: 123, Reason: "人员新参保"}}
	row := func(period string, kind ledger.Kind, st ledger.Status, base string) ledger.Contribution {
		b := ledger.MustFen(base)
		return ledger.Contribution{PersonNumber: person, UnitNumber: unit, Period: ym(period), Kind: kind,
			Insured: ledger.InsuredEmployee, Status: st, Base: b, Parts: [calc.NumParts]ledger.Part{
				calc.Unit:              {Rate: ledger.Rate("0.16"), Amount: b * 16 / 100},
				calc.UnitToAccount:     {Rate: ledger.Rate("0")},
				calc.Personal:          {Rate: ledger.Rate("0.08"), Amount: b * 8 / 100},
				calc.PersonalToAccount: {Amount: b * 8 / 100}, // rate unknown
			}}
	}
	return []ledger.Record{u, p,
		ledger.Spell{PersonNumber: person, UnitNumber: unit, From: ym("202001"), RelationID: "2301", EmploymentForm: "其他情形"},
		row("202001", ledger.KindRegular, ledger.StatusPaid, "3000.00"),
		row("202002", ledger.KindRegular, ledger.StatusUnpaid, "3000.00"),
		row("202002", ledger.KindBaseAdjustment, ledger.StatusUnpaid, "500.00"),
		row("202406", ledger.KindBaseAdjustment, ledger.StatusUnpaid, "1000.00"),
		ledger.Grade{PersonNumber: person, Year: 2022, Ratio: decimal.RequireFromString("0.60"), Base: ledger.MustFen("3519.00")},
		ledger.Benefit{PersonNumber: person, Kind: ledger.BenefitRetiree, Status: "正常发放", Monthly: 300000, Start: ym("202206"),
			Payment: ledger.PaymentAccount{BankName: "中国工商银行", AccountName: "测试", AccountNumber: "6212263500001234567"}},
	}
}

// service returns a service over st holding the fixture, with the clock
// at now; refs caches nothing.
func service(t *testing.T, st table.Store, now time.Time) (*recordtable.Service, *refstore.Store) {
	t.Helper()
	clk := clock.Frozen(now)
	ls := ledger.NewStore(st, clk)
	if _, err := ls.Put(t.Context(), fixture()...); err != nil {
		t.Fatal(err)
	}
	refs := refstore.New(st, clk, refstore.WithTTL(0))
	return recordtable.New(ls, refs, catalog.Default), refs
}

func TestTables(t *testing.T) {
	tables, err := recordtable.NewTables(catalog.Default())
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, d := range tables.All() {
		got = append(got, d.Business.Section)
		byID, ok := tables.Of(d.Business.ID)
		if bySection, ok2 := tables.Of(d.Business.Section); !ok || !ok2 || byID != d || bySection != d {
			t.Errorf("%s: not found by id and section", d.Business.Section)
		}
		if len(d.Ledger.Cells()) != len(d.Ledger.FlatColumns) || len(d.Ledger.Totals) == 0 {
			t.Errorf("%s: incomplete definition", d.Business.Section)
		}
	}
	if d := cmp.Diff([]string{"4.4", "4.6", "4.9", "4.25", "4.26", "5.1", "5.5"}, got); d != "" {
		t.Errorf("record tables (-want +got):\n%s", d)
	}
	if _, ok := tables.Of("4.5"); ok {
		t.Error("4.5 has no record table")
	}
}

// TestTablesRefuseMismatches: a catalog whose record table names a kind
// the ledger does not have, or a total that no calc total computes, is
// refused when the tables are built.
func TestTablesRefuseMismatches(t *testing.T) {
	base := fstest.MapFS{}
	sub := os.DirFS("../catalog/data")
	if err := fs.WalkDir(sub, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(sub, p)
		base[p] = &fstest.MapFile{Data: b}
		return err
	}); err != nil {
		t.Fatal(err)
	}
	const file = "businesses/5.01-employee-back-payment.yaml"
	for _, tt := range []struct{ name, old, new, want string }{
		{"unknown kind", "kinds: [back_payment]", "kinds: [refund]", `unknown contribution kind "refund"`},
		{"unknown status", "statuses: [unpaid]", "statuses: [owed]", `unknown contribution status "owed"`},
		{"total without interest", "        - 单位应缴金额.金额\n        - 单位应缴金额.利息\n      rule: Σ", "        - 单位应缴金额.金额\n      rule: Σ", "total 单位应缴金额: sums"},
		{"total of a to-account part", "        - 单位应缴金额.金额\n        - 单位应缴金额.利息\n      rule: Σ", "        - 单位应缴划入个人账户金额.金额\n        - 单位应缴划入个人账户金额.利息\n      rule: Σ", "is not an amount or interest of 单位应缴 or 个人应缴"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			fsys := fstest.MapFS{}
			for k, v := range base {
				fsys[k] = v
			}
			data := string(base[file].Data)
			if !strings.Contains(data, tt.old) {
				t.Fatalf("%s lacks %q", file, tt.old)
			}
			fsys[file] = &fstest.MapFile{Data: []byte(strings.Replace(data, tt.old, tt.new, 1))}
			cat, err := catalog.Load(fsys, codetable.Default())
			if err != nil {
				t.Fatal(err)
			}
			if _, err := recordtable.NewTables(cat); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want %q", err, tt.want)
			}
			// A service compiles the tables on first use and fails the read.
			s := recordtable.New(nil, nil, func() *catalog.Catalog { return cat })
			if _, err := s.Read(t.Context(), recordtable.Query{Business: "5.1", Person: person}); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("read: err = %v, want %q", err, tt.want)
			}
		})
	}
}

// problem returns the message of the problem about in, or "".
func problem(err error, in calc.Input) string {
	for _, p := range calc.ProblemsOf(err) {
		if p.Input == in {
			return p.Message
		}
	}
	return ""
}

func TestReadErrors(t *testing.T) {
	s, _ := service(t, storetest.Bolt(t, clock.Frozen(day)), day)
	tests := []struct {
		name   string
		q      recordtable.Query
		code   apperr.Code
		input  calc.Input
		inText string
	}{
		{"unknown business", recordtable.Query{Business: "4.5", Person: person}, apperr.NotFound, 0, "记录一览表"},
		{"unknown person", recordtable.Query{Business: "4.6", Person: "2309999999"}, apperr.NotFound, 0, "人员"},
		{"unit not the person's", recordtable.Query{Business: "5.5", Person: person, Unit: "2309900999"}, apperr.NotFound, 0, "单位"},
		{"to before from", recordtable.Query{Business: "4.6", Person: person, From: ym("202003"), To: ym("202001")}, apperr.Invalid, calc.InputTo, "不能早于"},
		{"required query", recordtable.Query{Business: "4.26", Person: person}, apperr.Invalid, calc.InputFrom, "开始年月"},
		{"selected not listed", recordtable.Query{Business: "4.6", Person: person, SelectionGiven: true, Selected: []calc.YearMonth{ym("201901")}}, apperr.Invalid, calc.InputSelected, "201901"},
		{"calculation date after next year", recordtable.Query{Business: "4.6", Person: person, CalcDate: calc.MustDate("2024-01-01")}, apperr.Invalid, calc.InputCalcDate, "2023-12-31"},
		{"no grade for the year", recordtable.Query{Business: "4.25", Person: person, CalcDate: calc.MustDate("2023-03-01")}, apperr.NotFound, 0, "缴费档次"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s.Read(t.Context(), tt.q)
			e := apperr.As(err)
			if e == nil || e.Code != tt.code {
				t.Fatalf("err = %v, want code %s", err, tt.code)
			}
			msg := e.Message
			if tt.input != 0 {
				msg = problem(err, tt.input)
			}
			if !strings.Contains(msg, tt.inText) {
				t.Errorf("message %q (%v) does not mention %q", e.Message, calc.ProblemsOf(err), tt.inText)
			}
		})
	}
}

func TestReadMasksAndSelects(t *testing.T) {
	s, _ := service(t, storetest.Bolt(t, clock.Frozen(day)), day)
	tab, err := s.Read(t.Context(), recordtable.Query{Business: "employee-arrears-clearance", Person: person})
	if err != nil {
		t.Fatal(err)
	}
	if tab.Person.IDNumberMasked != "110105********002X" || tab.Person.Name != "测试" {
		t.Errorf("person block: %+v", tab.Person)
	}
	if len(tab.Benefits) != 1 || tab.Benefits[0].AccountMasked != "***************4567" {
		t.Errorf("benefits: %+v", tab.Benefits)
	}
	if len(tab.Units) != 1 || !tab.Units[0].To.IsZero() || tab.Units[0].Name == "" {
		t.Errorf("units: %+v", tab.Units)
	}
	// 5.5 lists the unpaid regular row only, not the base differences.
	if len(tab.Rows) != 1 || tab.Rows[0].Period != ym("202002") || !tab.Ticked[0] {
		t.Fatalf("rows: %+v", tab.Rows)
	}
	// 2020 arrears accrue interest through 2021-12-31 (E = 2021):
	// 480.00 × ((1 + 6.04% × 11/12) × (1 + 6.69%) − 1) = 60.47 and
	// 240.00 × the same factor = 30.23 (../shared/spec/calculations.md §2, worked by hand).
	var totals []string
	for _, tot := range tab.Totals {
		totals = append(totals, tot.Label+"="+calc.FormatMoney(tot.Value))
	}
	if diff := cmp.Diff([]string{"单位应缴金额=540.47", "个人应缴金额=270.23", "合计应缴总额=810.70"}, totals); diff != "" {
		t.Errorf("totals (-want +got):\n%s", diff)
	}
	if got := tab.Cells(0)[3].Text; got != "60.47" {
		t.Errorf("unit interest cell = %s, want 60.47", got)
	}
	if _, ok := tab.RatesUsed[2021]; !ok || tab.Provisional != nil {
		t.Errorf("rates used: %v, provisional %+v", tab.RatesUsed, tab.Provisional)
	}
	none, err := s.Read(t.Context(), recordtable.Query{Business: "5.5", Person: person, SelectionGiven: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, tot := range none.Totals {
		if !tot.Value.IsZero() {
			t.Errorf("nothing ticked: %s = %s", tot.Label, tot.Value)
		}
	}
}

// TestReadProvisional: the 2024 base difference read in 2026 needs the
// 2025 bookkeeping rate, not yet published: it is charged at 2024's 2.62%
// and flagged in its interest cells, its totals and the table; read in
// 2025 it needs no unpublished year; once the 2025 rate is imported the
// same read uses it and the flag disappears.
func TestReadProvisional(t *testing.T) {
	// Unit 160.00 due 202406: (1 + 2.62%·7/12)·(1 + r2025) − 1.
	for _, tt := range []struct {
		now          string
		unitInterest string
		provisional  bool
		importRate   string
	}{
		{"2026-06-01", "6.70", true, ""},
		{"2026-12-31", "6.70", true, ""},
		{"2025-06-01", "2.45", false, ""},
		{"2026-06-01", "7.32", false, "0.0300"},
	} {
		t.Run(tt.now+"/"+tt.importRate, func(t *testing.T) {
			now, err := time.ParseInLocation("2006-01-02", tt.now, clock.Shanghai)
			if err != nil {
				t.Fatal(err)
			}
			storetest.Each(t, clock.Frozen(now), func(t *testing.T, st table.Store) {
				s, refs := service(t, st, now)
				if tt.importRate != "" {
					if _, err := refs.Put(t.Context(), refdata.Data{BookkeepingRates: []refdata.BookkeepingRate{{Year: 2025,
						Rate: decimal.RequireFromString(tt.importRate), Status: "national", Source: "test import"}}}); err != nil {
						t.Fatal(err)
					}
				}
				tab, err := s.Read(t.Context(), recordtable.Query{Business: "4.6", Person: person, From: ym("202401")})
				if err != nil {
					t.Fatal(err)
				}
				if len(tab.Rows) != 1 {
					t.Fatalf("rows %+v", tab.Rows)
				}
				cells := tab.Cells(0)
				// 4.6: period, base, personal (amount, interest), personal→account, unit, unit→account.
				if cells[7].Text != tt.unitInterest || cells[7].Provisional != tt.provisional || cells[6].Provisional {
					t.Errorf("unit cells %+v %+v, want interest %s provisional %t", cells[6], cells[7], tt.unitInterest, tt.provisional)
				}
				if tab.Totals[0].Provisional != tt.provisional || (tab.Provisional != nil) != tt.provisional {
					t.Errorf("totals %+v, table provisional %+v", tab.Totals, tab.Provisional)
				}
				if tt.provisional {
					if p := tab.Provisional; p.RateYear != 2024 || p.Rate.String() != "0.0262" || len(p.Years) != 1 || p.Years[0] != 2025 ||
						p.Note() != "2025年度记账利率尚未公布，暂按2024年度记账利率2.62%计息，公布后据实调整" {
						t.Errorf("provisional %+v %q", p, p.Note())
					}
				}
			})
		})
	}
}

func TestFormatRate(t *testing.T) {
	for in, want := range map[string]string{"0.08": "0.08", "0": "0.00", "0.0669": "0.0669", "1": "1.00", "": ""} {
		r, err := ledger.ParseRate(in)
		if err != nil {
			t.Fatalf("ParseRate(%q): %v", in, err)
		}
		if got := recordtable.FormatRate(r); got != want {
			t.Errorf("FormatRate(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestUnitNamesCachedForAMinute: a record table names the person's units
// from a one-minute cache, so a rename shows on the next read after the
// minute; a Fresh read (a submission's) takes the new name at once.
func TestUnitNamesCachedForAMinute(t *testing.T) {
	clk := clock.Frozen(day)
	st := storetest.Bolt(t, clk)
	ls := ledger.NewStore(st, clk)
	recs := fixture()
	if _, err := ls.Put(t.Context(), recs...); err != nil {
		t.Fatal(err)
	}
	s := recordtable.New(ls, refstore.New(st, clk, refstore.WithTTL(0)), catalog.Default)
	name := func(q recordtable.Query) string {
		t.Helper()
		q.Business, q.Person = "5.5", person
		tab, err := s.Read(t.Context(), q)
		if err != nil {
			t.Fatal(err)
		}
		if len(tab.Units) != 1 {
			t.Fatalf("units: %+v", tab.Units)
		}
		return tab.Units[0].Name
	}
	if got := name(recordtable.Query{}); got != "七台河市测试有限公司" {
		t.Fatalf("name = %q", got)
	}
	u := recs[0].(ledger.Unit)
	u.Name = "七台河市更名有限公司"
	if _, err := ls.Put(t.Context(), u); err != nil {
		t.Fatal(err)
	}
	if got, err := ls.Unit(t.Context(), unit); err != nil || got.Name != u.Name {
		t.Fatalf("renamed unit: %+v %v", got, err)
	}
	if got := name(recordtable.Query{}); got != "七台河市测试有限公司" {
		t.Errorf("within the minute: %q, want the cached name", got)
	}
	if got := name(recordtable.Query{Fresh: true}); got != u.Name {
		t.Errorf("fresh read: %q, want %q", got, u.Name)
	}
	u.Name = "七台河市再更名有限公司"
	if _, err := ls.Put(t.Context(), u); err != nil {
		t.Fatal(err)
	}
	clk.Advance(time.Minute)
	if got := name(recordtable.Query{}); got != u.Name {
		t.Errorf("after the minute: %q, want %q", got, u.Name)
	}
}
