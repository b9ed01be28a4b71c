package contributionsapi

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strings"
	"testing"

	"github.com/hljhrss/hrss/infra/demo"
	"github.com/hljhrss/hrss/shared/application"
	"github.com/hljhrss/hrss/shared/calc"
	"github.com/hljhrss/hrss/shared/catalog"
	"github.com/hljhrss/hrss/shared/ledger"
	"github.com/hljhrss/hrss/shared/recordtable"
	"github.com/hljhrss/hrss/shared/refdata/refstore"
	"github.com/hljhrss/hrss/shared/workflow"
)

// effectInput is the input of business id's effect for an application of
// person (an individual) or of unit about person (an agent), with the
// record table's rows of periods ticked as a submit freezes them.
func effectInput(t *testing.T, ls *ledger.Store, refs *refstore.Store, id, person, unit string, periods ...string) application.EffectInput {
	t.Helper()
	b, ok := catalog.Default().Business(id)
	if !ok {
		t.Fatalf("no business %s", id)
	}
	app := &application.Application{ID: "A1", Business: id, Reference: "HL20220510-TEST01"}
	snap := application.Snapshot{Round: 1, Fields: map[string]string{}}
	if b.UserType == catalog.Enterprise {
		app.Unit, snap.Fields["personNumber"] = unit, person
	} else {
		app.Person = person
	}
	if b.Ledger != nil {
		snap.Ledger = ledgerSnapshot(t, ls, refs, b, person, unit, periods)
	}
	in := application.EffectInput{Business: b, App: app, Snapshot: snap, Store: ls}
	if app.Person != "" {
		d, err := ls.Dossier(t.Context(), person)
		if err != nil {
			t.Fatal(err)
		}
		in.Records.Dossier = &d
	}
	return in
}

// ledgerSnapshot is what a submit freezes of the record table: the ticked
// rows' cells and the totals.
func ledgerSnapshot(t *testing.T, ls *ledger.Store, refs *refstore.Store, b *catalog.Business, person, unit string, periods []string) *application.LedgerSnapshot {
	t.Helper()
	q := recordtable.Query{Business: b.ID, Person: person, SelectionGiven: true}
	if b.UserType == catalog.Enterprise {
		q.Unit = unit
	}
	for _, p := range periods {
		q.Selected = append(q.Selected, calc.MustYearMonth(p))
	}
	tbl, err := recordtable.New(ls, refs, catalog.Default).Read(t.Context(), q)
	if err != nil {
		t.Fatal(err)
	}
	out := &application.LedgerSnapshot{Title: b.Ledger.Title, Columns: b.Ledger.FlatColumns}
	for i, r := range tbl.Rows {
		if !tbl.Ticked[i] {
			continue
		}
		row := application.LedgerSnapRow{Period: r.Period.String(), Unit: r.Unit}
		for _, c := range tbl.Cells(i) {
			row.Cells = append(row.Cells, c.Text)
		}
		out.Rows = append(out.Rows, row)
	}
	for _, tot := range tbl.Totals {
		out.Totals = append(out.Totals, application.LedgerSnapTotal{Label: tot.Label, Value: tot.Value.StringFixed(2)})
	}
	return out
}

// wantCannot fails unless err is application.CannotApply with a reason
// containing reason.
func wantCannot(t *testing.T, err error, reason string) {
	t.Helper()
	var te *workflow.TaskError
	if !errors.As(err, &te) || te.Name != application.ErrCannot || !strings.Contains(te.Cause, reason) {
		t.Fatalf("error %v, want CannotApply with %q", err, reason)
	}
}

// apply runs effect on in and writes its changes.
func apply(t *testing.T, ls *ledger.Store, in application.EffectInput) application.Effect {
	t.Helper()
	e, err := effects[in.Business.ID](t.Context(), in)
	if err != nil {
		t.Fatal(err)
	}
	if err := ls.Write(t.Context(), e.Changes); err != nil {
		t.Fatal(err)
	}
	return e
}

// TestRefund: 4.4 refunds the ticked paid rows, each with its 个人实缴
// 金额 + 利息; the same rows again cannot be refunded.
func TestRefund(t *testing.T) {
	ls, refs := seeded(t)
	in := effectInput(t, ls, refs, "personal-refund", demo.PersonRefund, "", "199601", "202002")
	e := apply(t, ls, in)
	if len(e.Put) != 2 || !strings.Contains(e.Summary, "已退费2条记录") || !strings.Contains(e.Summary, in.App.Reference) {
		t.Fatalf("effect %d records, %q", len(e.Put), e.Summary)
	}
	cs, err := ls.Contributions(t.Context(), demo.PersonRefund, calc.MustYearMonth("199601"), calc.MustYearMonth("202003"))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"199601": "2.00", "202002": "232.08"} // 2901.00 × 8%
	for _, c := range cs {
		w, ticked := want[c.Period.String()]
		switch {
		case ticked && (c.Status != ledger.StatusRefunded || c.Refund.String() != w):
			t.Errorf("%s: %s refund %s, want 已退费 %s", c.Period, c.Status.Label(), c.Refund, w)
		case !ticked && c.Status != ledger.StatusPaid:
			t.Errorf("%s not ticked but %s", c.Period, c.Status.Label())
		}
	}
	in.Records.Dossier = nil
	if _, err := refund(t.Context(), in); err == nil {
		t.Error("refund without the applicant's records applied")
	}
	d, _ := ls.Dossier(t.Context(), demo.PersonRefund)
	in.Records.Dossier = &d
	_, err = refund(t.Context(), in)
	wantCannot(t, err, "现为“已退费”")
}

// TestPayable: 5.5 puts the arrears on the application's 缴费单号 with
// amount plus interest; a changed row, another payment or a total that
// does not add up stops it.
func TestPayable(t *testing.T) {
	ls, refs := seeded(t)
	in := effectInput(t, ls, refs, "employee-arrears-clearance", demo.PersonArrears, demo.UnitTrading, "202202")
	cases := []struct {
		name   string
		change func(in *application.EffectInput)
		reason string
	}{
		{"another unit", func(in *application.EffectInput) { in.App.Unit = demo.UnitMachinery }, "不属于本单位"},
		{"a changed base", func(in *application.EffectInput) { in.Snapshot.Ledger.Rows[0].Cells[1] = "3600.00" }, "已变化"},
		{"a total that does not add up", func(in *application.EffectInput) { in.Snapshot.Ledger.Totals[2].Value = "1.00" }, "不一致"},
		{"no ticked rows", func(in *application.EffectInput) { in.Snapshot.Ledger.Rows = nil }, "没有勾选的记录"},
		{"an unknown employee", func(in *application.EffectInput) { in.Snapshot.Fields["personNumber"] = "2309999999" }, "未找到人员编号"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			x := effectInput(t, ls, refs, "employee-arrears-clearance", demo.PersonArrears, demo.UnitTrading, "202202")
			tc.change(&x)
			_, err := effects[x.Business.ID](t.Context(), x)
			wantCannot(t, err, tc.reason)
		})
	}
	// Computed twice before it is applied, the effect is the same (the
	// framework computes it again after a concurrent write).
	e1, err1 := effects[in.Business.ID](t.Context(), in)
	e2, err2 := effects[in.Business.ID](t.Context(), in)
	if err1 != nil || err2 != nil || len(e1.Put) != 1 || len(e2.Put) != 1 || e1.Summary != e2.Summary {
		t.Errorf("computed twice: %v %v", err1, err2)
	}
	// Another application for the same row, opened before this one is
	// applied (afterwards the record table no longer offers the row).
	other := effectInput(t, ls, refs, "employee-arrears-clearance", demo.PersonArrears, demo.UnitTrading, "202202")
	other.App.Reference = "HL20220511-OTHER2"
	e := apply(t, ls, in)
	c := e.Put[0].(ledger.Contribution)
	if c.PaymentRef != in.App.Reference || c.Payable != ledger.MustFen(in.Snapshot.Ledger.Totals[2].Value) || c.Status != ledger.StatusUnpaid {
		t.Errorf("row %s %s %s", c.PaymentRef, c.Payable, c.Status.Label())
	}
	_, err := effects[other.Business.ID](t.Context(), other)
	wantCannot(t, err, "已列入缴费单"+in.App.Reference)
}

// TestBaseChange: 5.14 sets the base of the employee's spell a line falls
// in; of two lines in one spell the later start wins; a line outside the
// spells, an unknown ID number or another name stops it.
func TestBaseChange(t *testing.T) {
	ls, refs := seeded(t)
	var refund ledger.Person
	for _, p := range demo.Persons() {
		if p.Number == demo.PersonRefund {
			refund = p
		}
	}
	in := effectInput(t, ls, refs, "employee-base-change", "", demo.UnitMachinery)
	in.Snapshot.Fields = map[string]string{"name": refund.Name, "idNumber": refund.IDNumber,
		"startYearMonth": "2022-01", "contributionBase": "5000.00", "wage": "6661"}
	in.Snapshot.Rows = []map[string]string{{"startYearMonth": "2022-03", "endYearMonth": "2022-12", "wage": "7000"}, {"startYearMonth": "1996-02", "wage": "300"}}
	e := apply(t, ls, in)
	if e.Summary != "职工缴费基数已变更：自1996年02月起300.00元；自2022年03月起7000.00元。" {
		t.Errorf("summary %q", e.Summary)
	}
	d, _ := ls.Dossier(t.Context(), demo.PersonRefund)
	for _, sp := range d.Spells {
		want := map[string]string{"199601": "300.00", "202001": "7000.00"}[sp.From.String()]
		if sp.Base.String() != want {
			t.Errorf("spell from %s base %s, want %s", sp.From, sp.Base, want)
		}
	}
	cases := []struct {
		name   string
		fields map[string]string
		reason string
	}{
		{"outside the spells", map[string]string{"startYearMonth": "2010-01", "wage": "5000"}, "不在该职工在本单位的参保期间内"},
		{"another name", map[string]string{"name": "王五", "wage": "5000"}, "姓名与参保记录不一致"},
		{"no amount", map[string]string{"startYearMonth": "2022-01"}, "未填写缴费基数或工资"},
		{"an unknown person", map[string]string{"idNumber": demo.IDNumber("230903", "19800101", "011"), "wage": "5000"}, "未找到该身份证号码"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			x := in
			x.Snapshot.Rows = nil
			x.Snapshot.Fields = map[string]string{"name": refund.Name, "idNumber": refund.IDNumber}
			for k, v := range tc.fields {
				x.Snapshot.Fields[k] = v
			}
			_, err := baseChange(t.Context(), x)
			wantCannot(t, err, tc.reason)
		})
	}
	x := in
	x.App = &application.Application{Unit: demo.UnitTrading}
	_, err := baseChange(t.Context(), x)
	wantCannot(t, err, "在本单位没有参保记录")
}

// TestWageDeclaration: 5.2 stores the declared wages of the file as
// submitted, with the ledger's names; a file that no longer passes or is
// not the one submitted stops it.
func TestWageDeclaration(t *testing.T) {
	ls, refs := seeded(t)
	var files map[string][]byte
	in := effectInput(t, ls, refs, declarationBusiness, "", demo.UnitMachinery)
	// The lifecycle's reader checks the digest; this one reads by upload.
	in.ReadMaterial = func(_ context.Context, m application.SnapMaterial) ([]byte, error) {
		data := files["materials/A1/"+m.Upload]
		sum := sha256.Sum256(data)
		if hex.EncodeToString(sum[:]) != m.Digest {
			return nil, application.CannotApply("与提交时的文件不一致")
		}
		return data, nil
	}
	in.Snapshot.Fields["year"] = "2022"
	submit := func(data []byte) application.EffectInput {
		x := in
		sum := sha256.Sum256(data)
		x.Snapshot.Materials = []application.SnapMaterial{{Material: declarationMaterial, Upload: "U1", Size: int64(len(data)), Digest: hex.EncodeToString(sum[:])}}
		files = map[string][]byte{"materials/A1/U1": data}
		return x
	}
	x := submit(declarationZip(t, [][]string{{demo.PersonRefund, "错名", "4,538.00"}}))
	e := apply(t, ls, x)
	w, err := ls.Wages(t.Context(), demo.UnitMachinery, 2022)
	if err != nil {
		t.Fatal(err)
	}
	if len(w.Rows) != 1 || w.Rows[0] != (ledger.WageRow{PersonNumber: demo.PersonRefund, Name: "刘桂芳", Wage: 453800}) || w.Application != "A1" {
		t.Errorf("declaration %+v, %q", w, e.Summary)
	}
	x = submit(declarationZip(t, [][]string{{demo.PersonRefund, "", "5000.00"}}))
	apply(t, ls, x) // a second declaration of the year replaces the first
	if w, _ := ls.Wages(t.Context(), demo.UnitMachinery, 2022); w.Rows[0].Wage != 500000 {
		t.Errorf("replaced declaration %+v", w.Rows)
	}

	x = submit(declarationZip(t, [][]string{{demo.PersonRetiree, "", "4538.00"}}))
	_, err = wageDeclaration(t.Context(), x)
	wantCannot(t, err, "不是本单位在职职工")
	x = submit(declarationZip(t, [][]string{{demo.PersonRefund, "", "4538.00"}}))
	x.Snapshot.Materials[0].Digest = strings.Repeat("0", 64)
	_, err = wageDeclaration(t.Context(), x)
	wantCannot(t, err, "与提交时的文件不一致")
	x.ReadMaterial = nil
	_, err = wageDeclaration(t.Context(), x)
	wantCannot(t, err, "暂时无法读取")
}
