package runner_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/hljhrss/hrss/infra/demo"
	"github.com/hljhrss/hrss/shared/calc"
	"github.com/hljhrss/hrss/shared/catalog"
	"github.com/hljhrss/hrss/shared/ledger"
)

// The effects of the contributions-and-arrears family (费用征缴).
func init() {
	registerEffects(map[string]effectCheck{
		"personal-refund":                       checkRefund,
		"employee-base-adjustment-back-payment": checkPayable,
		"employee-rate-adjustment-back-payment": checkPayable,
		"employee-back-payment":                 checkPayable,
		"employee-arrears-clearance":            checkPayable,
		"unit-wage-declaration":                 checkWageDeclaration,
		"employee-base-change":                  checkBaseChange,
	})
}

// snapRow is a ticked row of the snapshot with its cells by column.
type snapRow struct {
	period calc.YearMonth
	unit   string
	cells  map[string]string
}

func snapRows(t *testing.T, x *effectEnv) []snapRow {
	t.Helper()
	ls := x.Snapshot.Ledger
	if ls == nil || len(ls.Rows) == 0 {
		t.Fatal("the snapshot has no ticked rows")
	}
	var out []snapRow
	for _, r := range ls.Rows {
		sr := snapRow{period: calc.MustYearMonth(r.Period), unit: r.Unit, cells: map[string]string{}}
		for i, c := range ls.Columns {
			sr.cells[c] = r.Cells[i]
		}
		out = append(out, sr)
	}
	return out
}

// snapTotal is the snapshot's total labelled label.
func snapTotal(t *testing.T, x *effectEnv, label string) ledger.Fen {
	t.Helper()
	for _, tot := range x.Snapshot.Ledger.Totals {
		if tot.Label == label {
			return ledger.MustFen(tot.Value)
		}
	}
	t.Fatalf("the snapshot has no total %s", label)
	return 0
}

// subjectDossier is the dossier of the person the application is about:
// the applicant, or the employee an agent named.
func subjectDossier(t *testing.T, x *effectEnv) ledger.Dossier {
	t.Helper()
	p := x.Account.PersonNo
	if p == "" {
		p = x.Snapshot.Fields["personNumber"]
	}
	d, err := x.Ledger.Dossier(t.Context(), p)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// find is the contribution of period and unit listed by b's table.
func find(t *testing.T, cs []ledger.Contribution, b *catalog.Business, r snapRow, status ledger.Status) ledger.Contribution {
	t.Helper()
	for _, c := range cs {
		if c.Period == r.period && c.UnitNumber == r.unit && c.Status == status &&
			(len(b.Ledger.Rows.Kinds) == 0 || slices.Contains(b.Ledger.Rows.Kinds, string(c.Kind))) {
			return c
		}
	}
	t.Fatalf("no %s row of %s at %s", status.Label(), r.period, r.unit)
	return ledger.Contribution{}
}

// 4.4: every ticked paid row is refunded with its 个人实缴 金额 + 利息; the
// refunds add up to 合计金额; the next draft no longer offers them.
func checkRefund(t *testing.T, x *effectEnv) {
	b := mustBusiness(t, "personal-refund")
	rows := snapRows(t, x)
	d := subjectDossier(t, x)
	var sum ledger.Fen
	for _, r := range rows {
		c := find(t, d.Contributions, b, r, ledger.StatusRefunded)
		want := ledger.MustFen(r.cells["个人实缴.金额"]) + ledger.MustFen(r.cells["个人实缴.利息"])
		if c.Refund != want || c.Refund != c.Parts[calc.Personal].Amount+c.Parts[calc.Personal].Interest {
			t.Errorf("%s refund %s, want %s", r.period, c.Refund, want)
		}
		sum += c.Refund
	}
	if want := snapTotal(t, x, "合计金额"); sum != want {
		t.Errorf("refunds add up to %s, want %s", sum, want)
	}
	refunded := 0
	for _, c := range x.Before.Contributions {
		if c.Status == ledger.StatusPaid {
			refunded++
		}
	}
	if refunded != len(rows) {
		t.Errorf("%d rows ticked, %d were paid: the harness ticks every offered row", len(rows), refunded)
	}
	if !strings.Contains(x.App.Result, x.App.Reference) || !strings.Contains(x.App.Result, sum.String()+"元") {
		t.Errorf("result %q lacks the reference or the sum %s", x.App.Result, sum)
	}
	w := x.Client.do("POST", "/api/v1/"+b.Family+"/applications", `{"business":"personal-refund"}`)
	wantCode(t, "a new draft", w, 201)
	if nd := decode[draftJSON](t, w); nd.Ledger != nil && len(nd.Ledger.Rows) > 0 {
		t.Errorf("the next draft still offers %d refundable rows", len(nd.Ledger.Rows))
	}
}

// 4.6, 4.9, 5.1, 5.5: every ticked unpaid row carries the application's
// reference as 缴费单号 and its amount plus interest as frozen at submit;
// the rows stay unpaid; the payables add up to the grand total.
func checkPayable(t *testing.T, x *effectEnv) {
	b := mustBusiness(t, x.App.Business)
	rows := snapRows(t, x)
	d := subjectDossier(t, x)
	grand := b.Ledger.Totals[len(b.Ledger.Totals)-1]
	var sum ledger.Fen
	for _, r := range rows {
		c := find(t, d.Contributions, b, r, ledger.StatusUnpaid)
		var want ledger.Fen
		for _, col := range grand.Sum {
			want += ledger.MustFen(r.cells[col])
		}
		if c.PaymentRef != x.App.Reference || c.Payable != want {
			t.Errorf("%s: 缴费单号 %q payable %s, want %q %s", r.period, c.PaymentRef, c.Payable, x.App.Reference, want)
		}
		if owed := c.Parts[calc.Unit].Amount + c.Parts[calc.Personal].Amount; c.Payable < owed {
			t.Errorf("%s: payable %s below the amounts %s", r.period, c.Payable, owed)
		}
		sum += c.Payable
	}
	if want := snapTotal(t, x, grand.Label); sum != want {
		t.Errorf("payables add up to %s, want %s (%s)", sum, want, grand.Label)
	}
	tagged := 0
	for _, c := range d.Contributions {
		if c.PaymentRef != "" {
			tagged++
		}
	}
	if tagged != len(rows) {
		t.Errorf("%d rows carry a 缴费单号, want the %d ticked", tagged, len(rows))
	}
	if !strings.Contains(x.App.Result, x.App.Reference) || !strings.Contains(x.App.Result, sum.String()+"元") {
		t.Errorf("result %q lacks the reference or the sum %s", x.App.Result, sum)
	}
	// The next draft (an individual's: an agent's names the employee
	// first) no longer offers the rows on the 缴费单.
	if x.Account.PersonNo != "" {
		w := x.Client.do("POST", "/api/v1/contributions-and-arrears/applications", `{"business":"`+x.App.Business+`"}`)
		next := decode[struct {
			Ledger *struct {
				Rows []struct{ Period string } `json:"rows"`
			} `json:"ledger"`
		}](t, w)
		if w.Code != 201 || next.Ledger == nil {
			t.Fatalf("next draft: %d %s", w.Code, w.Body)
		}
		for _, r := range next.Ledger.Rows {
			for _, ticked := range x.Snapshot.Ledger.Rows {
				if r.Period == ticked.Period {
					t.Errorf("the next draft offers %s again", r.Period)
				}
			}
		}
	}
}

// 5.2: the declared wages (the harness fills 4538.00 for every employee)
// are the unit's declaration of the year.
func checkWageDeclaration(t *testing.T, x *effectEnv) {
	year := x.Snapshot.Fields["year"]
	y, err := calc.ParseYearMonth(year + "01")
	if err != nil {
		t.Fatalf("year %q: %v", year, err)
	}
	w, err := x.Ledger.Wages(t.Context(), x.Account.UnitNo, y.Year)
	if err != nil {
		t.Fatalf("no wage declaration of %d: %v", y.Year, err)
	}
	want := []ledger.WageRow{{PersonNumber: demo.PersonRefund, Name: personName(demo.PersonRefund), Wage: ledger.MustFen("4538.00")}}
	if !slices.Equal(w.Rows, want) || w.Application != x.App.ID {
		t.Errorf("declaration %+v by %s, want %+v by %s", w.Rows, w.Application, want, x.App.ID)
	}
	if !strings.Contains(x.App.Result, year+"年度") {
		t.Errorf("result %q lacks the year", x.App.Result)
	}
}

// 5.14: the employee's current spell at the unit takes the declared base
// (the harness declares 6000 from 2022-05 on the form's line and its row);
// the earlier spell keeps none.
func checkBaseChange(t *testing.T, x *effectEnv) {
	d, err := x.Ledger.Dossier(t.Context(), demo.PersonRefund)
	if err != nil {
		t.Fatal(err)
	}
	want := ledger.MustFen(x.Snapshot.Rows[0]["wage"])
	for _, sp := range d.Spells {
		switch {
		case sp.UnitNumber != x.Account.UnitNo:
		case sp.To.IsZero() && sp.Base != want:
			t.Errorf("current spell base %s, want %s", sp.Base, want)
		case !sp.To.IsZero() && sp.Base != 0:
			t.Errorf("spell %s..%s got base %s", sp.From, sp.To, sp.Base)
		}
	}
	if !strings.Contains(x.App.Result, want.String()+"元") {
		t.Errorf("result %q lacks the base %s", x.App.Result, want)
	}
}

func personName(number string) string {
	for _, p := range demo.Persons() {
		if p.Number == number {
			return p.Name
		}
	}
	return ""
}
