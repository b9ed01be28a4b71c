package demo_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/hljhrss/hrss/infra/demo"
	"github.com/hljhrss/hrss/shared/apperr"
	"github.com/hljhrss/hrss/shared/calc"
	"github.com/hljhrss/hrss/shared/checks"
	"github.com/hljhrss/hrss/shared/clock"
	"github.com/hljhrss/hrss/shared/ledger"
	"github.com/hljhrss/hrss/shared/recordtable"
	"github.com/hljhrss/hrss/shared/retirement"
	"github.com/hljhrss/hrss/shared/table"
	"github.com/hljhrss/hrss/shared/table/storetest"
)

// TestIdentifiersAreValid checks that every demo ID number passes GB 11643
// with a Heilongjiang prefix and agrees with the person's birth date and
// gender, and that every credit code passes GB 32100.
func TestIdentifiersAreValid(t *testing.T) {
	seen := map[string]bool{}
	for _, p := range demo.Persons() {
		id, prob := checks.ResidentID(p.IDNumber, ManualDay)
		if prob != nil || id != p.IDNumber {
			t.Errorf("%s: ID %s: %v", p.Name, p.IDNumber, prob.Err())
			continue
		}
		if !strings.HasPrefix(id, "23") {
			t.Errorf("%s: %s is not a Heilongjiang number", p.Name, id)
		}
		if ledger.IDBirthDate(id) != p.BirthDate || ledger.IDGender(id) != p.Gender {
			t.Errorf("%s: ID %s disagrees with birth %s / gender %s", p.Name, id, p.BirthDate, p.Gender)
		}
		if seen[id] || seen[p.Number] {
			t.Errorf("%s: duplicate identifier", p.Name)
		}
		seen[id], seen[p.Number] = true, true
	}
	for _, u := range demo.Units() {
		if u.CreditCode == "" {
			continue
		}
		if c, prob := checks.CreditCode(u.CreditCode); prob != nil || c != u.CreditCode {
			t.Errorf("%s: credit code %s: %v", u.Name, u.CreditCode, prob.Err())
		}
	}
	if got := demo.IDNumber("110105", "19491231", "002"); got != "11010519491231002X" {
		t.Errorf("IDNumber = %s, want GB 11643's example", got)
	}
	if got := demo.CreditCode("91", "350100", "M000100Y"); got != "91350100M000100Y43" {
		t.Errorf("CreditCode = %s", got)
	}
}

func TestSeedIfEmpty(t *testing.T) {
	storetest.Each(t, clock.Frozen(ManualDay), func(t *testing.T, st table.Store) {
		ctx := t.Context()
		clk := clock.Frozen(ManualDay)
		ok, err := demo.SeedIfEmpty(ctx, st, clk)
		if err != nil || !ok {
			t.Fatalf("first seed = %v, %v", ok, err)
		}
		ok, err = demo.SeedIfEmpty(ctx, st, clk)
		if err != nil || ok {
			t.Fatalf("second seed = %v, %v; want false", ok, err)
		}
		ls := ledger.NewStore(st, clk)
		for _, p := range demo.Persons() {
			if _, err := ls.Person(ctx, p.Number); err != nil {
				t.Errorf("%s: %v", p.Number, err)
			}
		}
		if _, err := st.Get(ctx, ledger.MarkerKey(demo.MarkerName)); err != nil {
			t.Errorf("marker: %v", err)
		}
	})
}

// TestSeedAfterCrash interrupts the seed after two batches, then reruns it:
// the rerun writes only the missing batches and the marker.
func TestSeedAfterCrash(t *testing.T) {
	clk := clock.Frozen(ManualDay)
	st := storetest.Bolt(t, clk)
	crash := &storetest.Crashing{Store: st, N: 2}
	if _, err := demo.SeedIfEmpty(t.Context(), crash, clk); !errors.Is(err, storetest.ErrCrash) {
		t.Fatalf("seed with a crash: %v", err)
	}
	if _, err := st.Get(t.Context(), ledger.MarkerKey(demo.MarkerName)); !errors.Is(err, table.ErrNotFound) {
		t.Fatalf("no marker may be written before the last batch: %v", err)
	}
	counter := &storetest.Crashing{Store: st, N: 1 << 30}
	ok, err := demo.SeedIfEmpty(t.Context(), counter, clk)
	if err != nil || !ok {
		t.Fatalf("rerun = %v, %v", ok, err)
	}
	total := (len(demo.Records()) + table.MaxTransactItems - 2) / (table.MaxTransactItems - 1)
	if got := int(counter.Writes.Load()); got != total-2 {
		t.Errorf("rerun wrote %d batches, want %d (of %d)", got, total-2, total)
	}
	ls := ledger.NewStore(st, clk)
	d, err := ls.Dossier(t.Context(), demo.PersonRetiring)
	if err != nil || len(d.Contributions) != 192 {
		t.Errorf("after rerun: %d rows, %v", len(d.Contributions), err)
	}
}

func TestSeedSkipsImportedLedger(t *testing.T) {
	clk := clock.Frozen(ManualDay)
	st := storetest.Bolt(t, clk)
	k := ledger.MarkerKey("IMPORT#abc")
	if err := st.Put(t.Context(), table.Item{table.AttrPK: k.PK, table.AttrSK: k.SK}, table.IfAbsent()); err != nil {
		t.Fatal(err)
	}
	if ok, err := demo.SeedIfEmpty(t.Context(), st, clk); err != nil || ok {
		t.Errorf("seed over an import = %v, %v; want false", ok, err)
	}
}

// TestRetirementFigures reproduces 4.22 (born 1969-05-18, retiring
// 2022-02-15: 192 paid months, 87 early) and 5.3 (born 1970-03-10,
// retiring 2022-02-28: 60 paid months, 97 early) from the demo ledger.
func TestRetirementFigures(t *testing.T) {
	ls := seeded(t, storetest.Bolt)
	tests := []struct {
		name                 string
		in                   retirement.Input
		legal                string
		actual, deemed, earl int
	}{
		{"4.22", retirement.Input{PersonNumber: demo.PersonRetiring, RetirementDate: calc.MustDate("2022-02-15")}, "2029-05-18", 192, 0, 87},
		{"5.3", retirement.Input{PersonNumber: demo.PersonRetiring53, RetirementDate: calc.MustDate("2022-02-28")}, "2030-03-10", 60, 0, 97},
		{"explicit", retirement.Input{BirthDate: calc.MustDate("1969-05-18"), Gender: calc.Male, Identity: calc.Worker,
			RetirementDate: calc.MustDate("2022-02-15"), ActualMonths: ptr(192), DeemedMonths: ptr(12)}, "2029-05-18", 192, 12, 87},
		{"woman worker", retirement.Input{BirthDate: calc.MustDate("1972-03-14"), Gender: calc.Female, Identity: calc.Worker,
			RetirementDate: calc.MustDate("2022-03-14"), ActualMonths: ptr(180)}, "2022-03-14", 180, 0, 0},
		{"woman cadre", retirement.Input{BirthDate: calc.MustDate("1972-03-14"), Gender: calc.Female, Identity: calc.Cadre,
			RetirementDate: calc.MustDate("2022-03-14"), ActualMonths: ptr(180)}, "2027-03-14", 180, 0, 60},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := ls.retirement.Compute(t.Context(), tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if f.Legal.Date.String() != tt.legal || f.Months.Actual != tt.actual || f.Months.Deemed != tt.deemed || f.EarlyMonths != tt.earl {
				t.Errorf("legal %s actual %d deemed %d early %d; want %s %d %d %d",
					f.Legal.Date, f.Months.Actual, f.Months.Deemed, f.EarlyMonths, tt.legal, tt.actual, tt.deemed, tt.earl)
			}
			if f.MinimumMonths != 180 {
				t.Errorf("minimum %d", f.MinimumMonths)
			}
		})
	}
}

func ptr(n int) *int { return &n }

func TestRetirementErrors(t *testing.T) {
	ls := seeded(t, storetest.Bolt)
	tests := []struct {
		name  string
		in    retirement.Input
		code  apperr.Code
		input calc.Input
	}{
		{"unknown person", retirement.Input{PersonNumber: "2309999999"}, apperr.NotFound, 0},
		{"no birth date", retirement.Input{Gender: calc.Male, ActualMonths: ptr(1)}, apperr.Invalid, calc.InputBirthDate},
		{"no gender", retirement.Input{BirthDate: calc.MustDate("1970-01-01"), ActualMonths: ptr(1)}, apperr.Invalid, calc.InputGender},
		{"woman without identity", retirement.Input{BirthDate: calc.MustDate("1970-01-01"), Gender: calc.Female, ActualMonths: ptr(1)}, apperr.Invalid, calc.InputIdentity},
		{"retiring before birth", retirement.Input{BirthDate: calc.MustDate("1970-01-01"), Gender: calc.Male, RetirementDate: calc.MustDate("1969-01-01"), ActualMonths: ptr(1)}, apperr.Invalid, calc.InputRetirementDate},
		{"negative months", retirement.Input{BirthDate: calc.MustDate("1970-01-01"), Gender: calc.Male, ActualMonths: ptr(-1)}, apperr.Invalid, calc.InputActualMonths},
		{"no months and no person", retirement.Input{BirthDate: calc.MustDate("1970-01-01"), Gender: calc.Male}, apperr.Invalid, calc.InputActualMonths},
		{"negative deemed", retirement.Input{BirthDate: calc.MustDate("1970-01-01"), Gender: calc.Male, ActualMonths: ptr(1), DeemedMonths: ptr(-3)}, apperr.Invalid, calc.InputDeemedMonths},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ls.retirement.Compute(t.Context(), tt.in)
			found := tt.input == 0
			for _, p := range calc.ProblemsOf(err) {
				found = found || (p.Input == tt.input && p.Message != "")
			}
			if apperr.CodeOf(err) != tt.code || !found {
				t.Errorf("err = %v (%+v); want %s on input %d", err, calc.ProblemsOf(err), tt.code, tt.input)
			}
		})
	}
}

// TestBackPaymentGrid checks 5.1's unit grid: 已 on 201305..201308 only.
func TestBackPaymentGrid(t *testing.T) {
	ls := seeded(t, storetest.Bolt)
	tab, err := ls.tables.Read(t.Context(), recordtable.Query{Business: "5.1", Person: demo.PersonBackPay, Unit: demo.UnitLogistics})
	if err != nil {
		t.Fatal(err)
	}
	if len(tab.Grid) != 9 || tab.Grid[0].Year != 2013 || tab.Grid[8].Year != 2021 {
		t.Fatalf("grid years: %+v", tab.Grid)
	}
	want := [12]string{"", "", "", "", "已", "已", "已", "已"}
	if tab.Grid[0].Months != want {
		t.Errorf("2013: %v", tab.Grid[0].Months)
	}
	for _, g := range tab.Grid[1:] {
		if g.Months != ([12]string{}) {
			t.Errorf("%d: %v", g.Year, g.Months)
		}
	}
	if tab.Unit == nil || tab.Unit.From.String() != "201304" || tab.Unit.To.String() != "202112" || tab.Unit.Name != "哈尔滨龙江物流有限公司七台河分公司" {
		t.Errorf("unit: %+v", tab.Unit)
	}
}

// BenchmarkView reads the record table of one person and renders its
// cells: the person's partition (one query), the unit, reference data
// (cached) and interest accrual. 4.6's person has 80 rows (64 paid months, 16 differences).
func BenchmarkView(b *testing.B) {
	for _, bc := range []struct{ name, business, person string }{
		{"4.6", "4.6", demo.PersonBaseDiff},
		{"5.1", "5.1", demo.PersonBackPay},
		{"4.4_192rows", "4.4", demo.PersonRetiring},
	} {
		b.Run(bc.name, func(b *testing.B) {
			ls := seeded(b, storetest.Bolt)
			q := recordtable.Query{Business: bc.business, Person: bc.person}
			ctx := b.Context()
			b.ReportAllocs()
			for b.Loop() {
				tab, err := ls.tables.Read(ctx, q)
				if err != nil {
					b.Fatal(err)
				}
				for i := range tab.Rows { // rendered, as the HTTP edge does
					_ = tab.Cells(i)
				}
			}
		})
	}
}

// TestWhoOwes: the demo's due rows are found by party (the reminders of
// the monthly window): the flexible worker of 4.25 with the manual's
// assessed months, and the units with unpaid rows (5.1, 5.5). Paging by
// one party at a time gives the same parties.
func TestWhoOwes(t *testing.T) {
	storetest.Each(t, clock.Frozen(ManualDay), func(t *testing.T, st table.Store) {
		ctx := t.Context()
		if _, err := demo.SeedIfEmpty(ctx, st, clock.Frozen(ManualDay)); err != nil {
			t.Fatal(err)
		}
		ls := ledger.NewStore(st, clock.Frozen(ManualDay))
		for _, kind := range []ledger.OwingKind{ledger.OwingFlexible, ledger.OwingUnit} {
			all, next, err := ls.Owing(ctx, kind, "", 100)
			if err != nil || next != "" || len(all) == 0 {
				t.Fatalf("%s: %d parties, next %q, %v", kind, len(all), next, err)
			}
			var paged []string
			for after := ""; ; {
				page, n, err := ls.Owing(ctx, kind, after, 1)
				if err != nil {
					t.Fatal(err)
				}
				for _, o := range page {
					paged = append(paged, o.Party)
				}
				if n == "" {
					break
				}
				after = n
			}
			var want []string
			for _, o := range all {
				want = append(want, o.Party)
				if o.Due() <= 0 {
					t.Errorf("%s %s owes %s", kind, o.Party, o.Due())
				}
				for _, c := range o.Rows {
					if k, p := c.Owing(); k != kind || p != o.Party {
						t.Errorf("%s: a row of %s/%s listed under %s", kind, k, p, o.Party)
					}
				}
			}
			if strings.Join(paged, ",") != strings.Join(want, ",") {
				t.Errorf("%s: paged %v, all %v", kind, paged, want)
			}
			t.Logf("%s: %v", kind, want)
		}
		flex, _, _ := ls.Owing(ctx, ledger.OwingFlexible, "", 100)
		if flex[0].Party != demo.PersonFlexible {
			t.Errorf("flexible dues: %v", flex[0].Party)
		}
	})
}
