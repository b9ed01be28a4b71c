package ledger_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hljhrss/hrss/shared/apperr"
	"github.com/hljhrss/hrss/shared/calc"
	"github.com/hljhrss/hrss/shared/clock"
	"github.com/hljhrss/hrss/shared/ledger"
	"github.com/hljhrss/hrss/shared/ledger/internal/storetest"
)

func fixtureStore(t *testing.T) *ledger.Store {
	t.Helper()
	clk := clock.Frozen(day)
	ls := ledger.NewStore(storetest.Bolt(t, clk), clk)
	_, _, recs := fixture()
	if _, err := ls.Put(t.Context(), recs...); err != nil {
		t.Fatal(err)
	}
	return ls
}

func TestScreensDefinitions(t *testing.T) {
	want := []string{"4.4", "4.6", "4.9", "4.25", "4.26", "5.1", "5.5"}
	var got []string
	for _, s := range ledger.Screens() {
		got = append(got, s.Section)
		byID, ok := ledger.ScreenOf(s.ID)
		if !ok || byID != s {
			t.Errorf("ScreenOf(%s) does not find %s", s.ID, s.Section)
		}
		if s.TitleZh == "" || s.NameZh == "" || len(s.Totals) == 0 {
			t.Errorf("%s: incomplete definition", s.Section)
		}
	}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("screens %v, want %v", got, want)
	}
	if _, ok := ledger.ScreenOf("4.5"); ok {
		t.Error("4.5 has no record table")
	}
}

func TestViewErrors(t *testing.T) {
	ls := fixtureStore(t)
	_, p, _ := fixture()
	tests := []struct {
		name   string
		q      ledger.Query
		code   apperr.Code
		field  string
		inText string
	}{
		{"unknown business", ledger.Query{Business: "4.5", Person: p.Number}, apperr.NotFound, "", "记录一览表"},
		{"unknown person", ledger.Query{Business: "4.6", Person: "2309999999"}, apperr.NotFound, "", "人员"},
		{"unit not the person's", ledger.Query{Business: "5.5", Person: p.Number, Unit: "2309900999"}, apperr.NotFound, "", "单位"},
		{"to before from", ledger.Query{Business: "4.6", Person: p.Number, From: ym("202003"), To: ym("202001")}, apperr.Invalid, "to", "不能早于"},
		{"required query", ledger.Query{Business: "4.26", Person: p.Number}, apperr.Invalid, "from", "开始年月"},
		{"selected not listed", ledger.Query{Business: "4.6", Person: p.Number, SelectionGiven: true, Selected: []calc.YearMonth{ym("201901")}}, apperr.Invalid, "selected", "201901"},
		{"missing bookkeeping rate", ledger.Query{Business: "4.6", Person: p.Number, CalcDate: calc.MustDate("2031-05-10")}, apperr.Unavailable, "", "记账利率"},
		{"no grade for the year", ledger.Query{Business: "4.25", Person: p.Number, CalcDate: calc.MustDate("2023-03-01")}, apperr.NotFound, "", "缴费档次"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ls.View(t.Context(), tt.q)
			e := apperr.As(err)
			if e == nil || e.Code != tt.code {
				t.Fatalf("err = %v, want code %s", err, tt.code)
			}
			msg := e.Message
			if tt.field != "" {
				msg = e.Fields[tt.field]
			}
			if !strings.Contains(msg, tt.inText) {
				t.Errorf("message %q (fields %v) does not mention %q", e.Message, e.Fields, tt.inText)
			}
		})
	}
}

func TestViewMasksAndSelects(t *testing.T) {
	ls := fixtureStore(t)
	_, p, _ := fixture()
	tab, err := ls.View(t.Context(), ledger.Query{Business: "employee-arrears-clearance", Person: p.Number})
	if err != nil {
		t.Fatal(err)
	}
	if tab.Person.IDNumberMasked != "110105********002X" || tab.Person.Name != p.Name {
		t.Errorf("person block: %+v", tab.Person)
	}
	if len(tab.Benefits) != 1 || tab.Benefits[0].AccountMasked != "***************4567" {
		t.Errorf("benefits: %+v", tab.Benefits)
	}
	if len(tab.Units) != 1 || !tab.Units[0].To.IsZero() || tab.Units[0].Name == "" {
		t.Errorf("units: %+v", tab.Units)
	}
	// 5.5 lists the unpaid regular row only, not the base difference.
	if len(tab.Rows) != 1 || tab.Rows[0].Period != ym("202002") || !tab.Rows[0].Selected {
		t.Fatalf("rows: %+v", tab.Rows)
	}
	// 2020 arrears accrue interest through 2021-12-31 (E = 2021):
	// 480.00 × ((1 + 6.04% × 11/12) × (1 + 6.69%) − 1) = 60.47 and
	// 240.00 × the same factor = 30.23 (calculations.md §2, worked by hand).
	var totals []string
	for _, tot := range tab.Totals {
		totals = append(totals, tot.Label+"="+tot.Value.String())
	}
	if diff := cmp.Diff([]string{"单位应缴金额=540.47", "个人应缴金额=270.23", "合计应缴总额=810.70"}, totals); diff != "" {
		t.Errorf("totals (-want +got):\n%s", diff)
	}
	if got := tab.Rows[0].Cells[3]; got != "60.47" {
		t.Errorf("unit interest cell = %s, want 60.47", got)
	}
	if _, ok := tab.RatesUsed[2021]; !ok {
		t.Errorf("rates used: %v", tab.RatesUsed)
	}
	none, err := ls.View(t.Context(), ledger.Query{Business: "5.5", Person: p.Number, SelectionGiven: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, tot := range none.Totals {
		if tot.Value != 0 {
			t.Errorf("nothing ticked: %s = %s", tot.Label, tot.Value)
		}
	}
}
