package flexibleapi_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"

	"github.com/hljhrss/hrss/functions/flexible-employment/flexibleapi"
	"github.com/hljhrss/hrss/shared/application"
	"github.com/hljhrss/hrss/shared/calc"
	"github.com/hljhrss/hrss/shared/catalog"
	"github.com/hljhrss/hrss/shared/clock"
	"github.com/hljhrss/hrss/shared/ledger"
	"github.com/hljhrss/hrss/shared/refdata/refstore"
	"github.com/hljhrss/hrss/shared/table/storetest"
	"github.com/hljhrss/hrss/shared/workflow"
)

const (
	person   = "2309000401"
	flexUnit = "2309990001" // the pooling area 230999's flexible-employment unit
	employer = "2309900101"
)

var ym = calc.MustYearMonth

// world is a ledger with the two units, the person p, spells ss and
// contributions cs, and the 60% grade of 2022.
type world struct {
	p  ledger.Person
	ss []ledger.Spell
	cs []ledger.Contribution
}

func flexible(status string) ledger.Person {
	return ledger.Person{Number: person, IDNumber: "230904197508190425", Name: "赵淑华", InsuredType: ledger.InsuredFlexible,
		Status: status, FirstInsured: ym("202201")}
}

func spell(unit, from, to string) ledger.Spell {
	sp := ledger.Spell{PersonNumber: person, UnitNumber: unit, From: ym(from)}
	if to != "" {
		sp.To = ym(to)
	}
	return sp
}

func due(period string, status ledger.Status) ledger.Contribution {
	c := ledger.Contribution{PersonNumber: person, UnitNumber: flexUnit, Period: ym(period), Kind: ledger.KindFlexible,
		Insured: ledger.InsuredFlexible, Status: status, Base: ledger.MustFen("3519.00")}
	c.Parts[calc.Personal] = ledger.Part{Rate: ledger.Rate("0.20"), Amount: ledger.MustFen("703.80")}
	c.Parts[calc.PersonalToAccount] = ledger.Part{Rate: ledger.Rate("0.08"), Amount: ledger.MustFen("281.52")}
	return c
}

// apply runs business's effect on w with the submitted fields and ticked
// rows (period → cells) at 2022-05-10, writes it and returns the dossier
// after, or the effect's error.
func apply(t *testing.T, w world, business string, fields map[string]string, rows [][]string) (ledger.Dossier, application.Effect, error) {
	t.Helper()
	ctx := t.Context()
	clk := clock.Frozen(time.Date(2022, 5, 10, 10, 0, 0, 0, clock.Shanghai))
	st := ledger.NewStore(storetest.Bolt(t, clk), clk)
	recs := []ledger.Record{
		ledger.Unit{Number: flexUnit, Name: "七台河市个体工商户", Type: "个体工商户", PoolingArea: "230999"},
		ledger.Unit{Number: employer, Name: "七台河市宏达机械制造有限公司", Type: "企业", PoolingArea: "230999"},
		w.p,
		ledger.Grade{PersonNumber: person, Year: 2022, Ratio: decimal.RequireFromString("0.60"), Base: ledger.MustFen("3519.00")},
	}
	for _, r := range w.ss {
		recs = append(recs, r)
	}
	for _, r := range w.cs {
		recs = append(recs, r)
	}
	if _, err := st.Put(ctx, recs...); err != nil {
		t.Fatal(err)
	}
	d, err := st.Dossier(ctx, person)
	if err != nil {
		t.Fatal(err)
	}
	b, ok := catalog.Default().Business(business)
	if !ok {
		t.Fatalf("no business %s", business)
	}
	snap := application.Snapshot{Fields: fields, Area: "230999"}
	if b.Ledger != nil {
		snap.Ledger = &application.LedgerSnapshot{Columns: b.Ledger.FlatColumns}
		for _, cells := range rows {
			snap.Ledger.Rows = append(snap.Ledger.Rows, application.LedgerSnapRow{Period: cells[0], Unit: flexUnit, Cells: cells})
		}
	}
	in := application.EffectInput{Business: b, App: &application.Application{ID: "a1", Person: person, Reference: "HL20220510-TEST22"},
		Snapshot: snap, Records: application.Records{Dossier: &d}, Store: st,
		Refs: refstore.New(st.Table(), st.Clock()), Today: calc.DateOf(clk.Now()), Now: clk.Now()}
	e, err := flexibleapi.Plugin.Effects[business](ctx, in)
	if err != nil {
		return ledger.Dossier{}, e, err
	}
	if err := st.Write(ctx, e.Changes); err != nil {
		t.Fatalf("write: %v", err)
	}
	after, err := st.Dossier(ctx, person)
	if err != nil {
		t.Fatal(err)
	}
	return after, e, nil
}

// cannot checks that err is a CannotApply whose reason says want.
func cannot(t *testing.T, err error, want string) {
	t.Helper()
	var te *workflow.TaskError
	if !errors.As(err, &te) || te.Name != application.ErrCannot || !strings.Contains(te.Cause, want) {
		t.Errorf("error %v, want CannotApply saying %q", err, want)
	}
}

func periods(cs []ledger.Contribution) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Period.String()+" "+string(c.Status))
	}
	return out
}

func TestEveryBusinessHasAnEffect(t *testing.T) {
	for _, b := range catalog.Default().Businesses() {
		if b.Family == flexibleapi.Family && flexibleapi.Plugin.Effects[b.ID] == nil {
			t.Errorf("%s %s has no effect", b.Section, b.ID)
		}
	}
}

func TestSuspend(t *testing.T) {
	w := world{p: flexible(ledger.PersonPaying), ss: []ledger.Spell{spell(flexUnit, "202201", "")},
		cs: []ledger.Contribution{due("202204", ledger.StatusAssessed), due("202205", ledger.StatusAssessed),
			due("202206", ledger.StatusAssessed), due("202207", ledger.StatusAssessed)}}
	d, e, err := apply(t, w, "flexible-employment-suspend", map[string]string{"changeReason": "05"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if d.Person.Status != ledger.PersonSuspended || d.Person.StatusFrom != ym("202206") {
		t.Errorf("person %s from %s", d.Person.Status, d.Person.StatusFrom)
	}
	if d.Spells[0].To != ym("202205") {
		t.Errorf("spell ends %s, want 202205", d.Spells[0].To)
	}
	if diff := cmp.Diff([]string{"202204 assessed", "202205 assessed"}, periods(d.Contributions)); diff != "" {
		t.Errorf("dues from 202206 are revoked (-want +got):\n%s", diff)
	}
	if want := "自2022年06月起暂停缴费。已撤销2022年06月至2022年07月共2个月已核定未缴费的应缴记录。"; e.Summary != want {
		t.Errorf("summary %q, want %q", e.Summary, want)
	}

	w.p.Status = ledger.PersonSuspended
	_, _, err = apply(t, w, "flexible-employment-suspend", nil, nil)
	cannot(t, err, "个人缴费状态已变为暂停缴费")
}

func TestEnrol(t *testing.T) {
	employee := ledger.Person{Number: person, IDNumber: "230904197508190425", Name: "赵淑华", InsuredType: ledger.InsuredEmployee,
		Status: ledger.PersonSuspended, FirstInsured: ym("201304")}
	fields := map[string]string{"startYearMonth": "2022-05", "regionCode": "230903", "contributionGrade": "0.60", "phone": "0464-8281234"}
	for _, tc := range []struct {
		name   string
		spells []ledger.Spell
		want   string // CannotApply reason; "" = enrolled
	}{
		{"after employment ended", []ledger.Spell{spell(employer, "201304", "202112")}, ""},
		{"still employed", []ledger.Spell{spell(employer, "201304", "")}, "参保关系尚未中断"},
		{"start within the last spell", []ledger.Spell{spell(employer, "201304", "202205")}, "应晚于已有参保关系的结束年月"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, _, err := apply(t, world{p: employee, ss: tc.spells}, "flexible-employment-enrol", fields, nil)
			if tc.want != "" {
				cannot(t, err, tc.want)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			p := d.Person
			if p.InsuredType != ledger.InsuredFlexible || p.Status != ledger.PersonPaying || p.StatusFrom != ym("202205") ||
				p.FirstInsured != ym("201304") || p.Info["phone"] != "0464-8281234" {
				t.Errorf("person %+v", p)
			}
			if len(d.Spells) != 2 || d.Spells[1].UnitNumber != flexUnit || d.Spells[1].From != ym("202205") || !d.Spells[1].To.IsZero() {
				t.Errorf("spells %+v", d.Spells)
			}
		})
	}
}

func TestAssess(t *testing.T) {
	w := world{p: flexible(ledger.PersonPaying), ss: []ledger.Spell{spell(flexUnit, "202201", "")}}
	row := []string{"202205", "703.80", "281.52"}
	d, e, err := apply(t, w, "flexible-employment-due-assessment", nil, [][]string{row})
	if err != nil {
		t.Fatal(err)
	}
	want := due("202205", ledger.StatusAssessed)
	want.Parts[calc.Unit].Rate, want.Parts[calc.UnitToAccount].Rate = ledger.Rate("0"), ledger.Rate("0")
	want.PaymentRef, want.Payable, want.Version = "HL20220510-TEST22", ledger.MustFen("703.80"), 1
	if diff := cmp.Diff([]ledger.Contribution{want}, d.Contributions); diff != "" {
		t.Errorf("assessed (-want +got):\n%s", diff)
	}
	if !strings.Contains(e.Summary, "个人缴费金额合计703.80元") {
		t.Errorf("summary %q", e.Summary)
	}

	_, _, err = apply(t, w, "flexible-employment-due-assessment", nil, [][]string{{"202205", "1173.00", "469.20"}})
	cannot(t, err, "与提交时不一致")
	w.cs = []ledger.Contribution{due("202205", ledger.StatusPaid)}
	_, _, err = apply(t, w, "flexible-employment-due-assessment", nil, [][]string{row})
	cannot(t, err, "已有灵活就业缴费记录")
	w.cs, w.p = nil, flexible(ledger.PersonSuspended)
	_, _, err = apply(t, w, "flexible-employment-due-assessment", nil, [][]string{row})
	cannot(t, err, "不在参保缴费状态")
}

func TestRevoke(t *testing.T) {
	w := world{p: flexible(ledger.PersonPaying), ss: []ledger.Spell{spell(flexUnit, "202201", "")},
		cs: []ledger.Contribution{due("202201", ledger.StatusAssessed), due("202202", ledger.StatusPaid)}}
	rows := func(ps ...string) [][]string {
		var out [][]string
		for _, p := range ps {
			out = append(out, []string{p, "3519.00", "703.80", "281.52"})
		}
		return out
	}
	d, e, err := apply(t, w, "flexible-employment-due-assessment-revoke", nil, rows("202201"))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"202202 paid"}, periods(d.Contributions)); diff != "" {
		t.Errorf("left (-want +got):\n%s", diff)
	}
	if e.Summary != "已撤销2022年01月的应缴核定，合计金额703.80元。" {
		t.Errorf("summary %q", e.Summary)
	}
	_, _, err = apply(t, w, "flexible-employment-due-assessment-revoke", nil, rows("202201", "202202"))
	cannot(t, err, "2022年02月的应缴核定记录当前为已缴")
	_, _, err = apply(t, w, "flexible-employment-due-assessment-revoke", nil, rows("202203"))
	cannot(t, err, "已不存在")
}
