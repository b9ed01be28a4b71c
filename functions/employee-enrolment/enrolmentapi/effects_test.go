package enrolmentapi_test

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hljhrss/hrss/functions/employee-enrolment/enrolmentapi"
	"github.com/hljhrss/hrss/shared/application"
	"github.com/hljhrss/hrss/shared/calc"
	"github.com/hljhrss/hrss/shared/catalog"
	"github.com/hljhrss/hrss/shared/checks"
	"github.com/hljhrss/hrss/shared/clock"
	"github.com/hljhrss/hrss/shared/ledger"
	"github.com/hljhrss/hrss/shared/table/boltstore"
)

var may10 = time.Date(2022, 5, 10, 9, 0, 0, 0, clock.Shanghai)

func ym(s string) calc.YearMonth { return calc.MustYearMonth(s) }

func idNumber(body17 string) string { return body17 + string(checks.IDCheckChar(body17)) }

// The records of the tests: a unit with one employee paying since 202001,
// a former employee suspended since 202201, and another unit.
var (
	unit    = ledger.Unit{Number: "2309900101", Name: "七台河市宏达机械制造有限公司", PoolingArea: "230999"}
	other   = ledger.Unit{Number: "2309900201", Name: "黑龙江龙晟投资管理有限公司", PoolingArea: "230999"}
	paying  = ledger.Person{Number: "2309000101", IDNumber: idNumber("23090319720314022"), Name: "刘桂芳", Status: ledger.PersonPaying}
	stopped = ledger.Person{Number: "2309000501", IDNumber: idNumber("23010819780211035"), Name: "高建国", Status: ledger.PersonSuspended}
	spells  = []ledger.Spell{
		{PersonNumber: paying.Number, UnitNumber: unit.Number, From: ym("202001"), RelationID: "R1"},
		{PersonNumber: stopped.Number, UnitNumber: unit.Number, From: ym("201304"), To: ym("202112"), RelationID: "R2", EmploymentForm: "其他情形"},
	}
)

// newLedger is a ledger on a table file of the test holding the records
// above and extra.
func newLedger(t *testing.T, extra ...ledger.Record) *ledger.Store {
	t.Helper()
	clk := clock.Frozen(may10)
	tbl, err := boltstore.Open(filepath.Join(t.TempDir(), "table.db"), clk)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tbl.Close() })
	st := ledger.NewStore(tbl, clk)
	recs := []ledger.Record{unit, other, paying, stopped}
	for _, sp := range spells {
		recs = append(recs, sp)
	}
	if _, err := st.Put(t.Context(), append(recs, extra...)...); err != nil {
		t.Fatal(err)
	}
	return st
}

// apply computes business's effect for the unit's agent and writes it as
// ApplyDecision does.
func apply(t *testing.T, st *ledger.Store, business string, fields map[string]string) (application.Effect, error) {
	t.Helper()
	b, ok := catalog.Default().Business(business)
	if !ok {
		t.Fatalf("no business %s", business)
	}
	u, err := st.Unit(t.Context(), unit.Number)
	if err != nil {
		t.Fatal(err)
	}
	in := application.EffectInput{Business: b, App: &application.Application{ID: "A1", Business: business, Unit: unit.Number},
		Snapshot: application.Snapshot{Round: 1, Fields: fields}, Records: application.Records{Unit: &u},
		Store: st, Today: calc.DateOf(may10), Now: may10}
	e, err := enrolmentapi.Plugin.Effects[business](context.Background(), in)
	if err != nil {
		return e, err
	}
	return e, st.Write(t.Context(), e.Changes)
}

func cannot(t *testing.T, err error, want string) {
	t.Helper()
	if err == nil || !strings.Contains(err.Error(), application.ErrCannot) || !strings.Contains(err.Error(), want) {
		t.Errorf("error %v, want CannotApply with %q", err, want)
	}
}

func dossier(t *testing.T, st *ledger.Store, person string) ledger.Dossier {
	t.Helper()
	d, err := st.Dossier(t.Context(), person)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// spellsOf lists a dossier's spells as unit:from-to status.
func spellsOf(d ledger.Dossier) []string {
	var out []string
	for _, sp := range d.Spells {
		out = append(out, sp.UnitNumber+":"+sp.From.String()+"-"+sp.To.String()+" "+sp.Status)
	}
	return out
}

func TestEveryBusinessHasAnEffect(t *testing.T) {
	for _, b := range catalog.Default().Businesses() {
		if b.Family == enrolmentapi.Family && enrolmentapi.Plugin.Effects[b.ID] == nil {
			t.Errorf("%s %s has no effect", b.Section, b.ID)
		}
	}
}

func enrolForm(id, name, insured string) map[string]string {
	return map[string]string{"unitNumber": unit.Number, "socialSecurityNumber": id, "idNumber": id, "name": name, "gender": "1",
		"ethnicity": "01", "birthDate": "1978-01-11", "idType": "01", "hukouAddress": "七台河市桃山区", "personalIdentity": "24",
		"insuredDate": insured, "firstInsuredYearMonth": "2016-02", "wage": "6000.00", "employmentForm": "01", "insuredIdentity": "01"}
}

func TestEnrolNewPerson(t *testing.T) {
	st := newLedger(t, ledger.Person{Number: "2309700001", IDNumber: idNumber("23090219800229002"), Name: "占用"})
	id := idNumber("23090219780111001")
	e, err := apply(t, st, "employee-enrol", enrolForm(id, "刘一", "2022-05-01"))
	if err != nil {
		t.Fatal(err)
	}
	p, err := st.PersonByIDNumber(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	want := ledger.Person{Number: "2309700002", IDNumber: id, Name: "刘一", Gender: calc.Male, BirthDate: calc.MustDate("1978-01-11"),
		Identity: calc.Worker, InsuredType: ledger.InsuredEmployee, Status: ledger.PersonPaying, StatusFrom: ym("202205"),
		FirstInsured: ym("201602"), Account: ledger.Account{Reason: "人员新参保"},
		Info: map[string]string{"ethnicity": "01", "idType": "01", "hukouAddress": "七台河市桃山区"}, Version: 1}
	if p.Number != want.Number || p.Gender != want.Gender || p.BirthDate != want.BirthDate || p.Identity != want.Identity ||
		p.InsuredType != want.InsuredType || p.Status != want.Status || p.StatusFrom != want.StatusFrom ||
		p.FirstInsured != want.FirstInsured || p.Account != want.Account || len(p.Info) != 3 || p.Info["ethnicity"] != "01" {
		t.Errorf("person\n%+v, want\n%+v", p, want)
	}
	if got := spellsOf(dossier(t, st, p.Number)); !slices.Equal(got, []string{unit.Number + ":202205- 参保缴费"}) {
		t.Errorf("spells %q", got)
	}
	if e.Summary != "职工刘一自2022年05月起在本单位参保缴费，人员编号2309700002。" {
		t.Errorf("summary %q", e.Summary)
	}
}

func TestEnrolKnownPerson(t *testing.T) {
	tests := []struct {
		name    string
		person  ledger.Person
		insured string
		cannot  string
		spells  []string
	}{
		{name: "former employee", person: stopped, insured: "2022-05-01",
			spells: []string{unit.Number + ":201304-202112 ", unit.Number + ":202205- 参保缴费"}},
		{name: "overlapping the former spell", person: stopped, insured: "2021-12-01", cannot: "重叠"},
		{name: "insured through the unit", person: paying, insured: "2022-05-01", cannot: "已在本单位参保"},
		{name: "another name", person: ledger.Person{Number: stopped.Number, IDNumber: stopped.IDNumber, Name: "别人"}, insured: "2022-05-01", cannot: "姓名"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st := newLedger(t)
			_, err := apply(t, st, "employee-enrol", enrolForm(tc.person.IDNumber, tc.person.Name, tc.insured))
			if tc.cannot != "" {
				cannot(t, err, tc.cannot)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			d := dossier(t, st, tc.person.Number)
			if got := spellsOf(d); !slices.Equal(got, tc.spells) {
				t.Errorf("spells %q, want %q", got, tc.spells)
			}
			if d.Person.Status != ledger.PersonPaying || d.Person.StatusFrom != ym("202205") {
				t.Errorf("status %s from %s", d.Person.Status, d.Person.StatusFrom)
			}
		})
	}
	t.Run("paying through another unit", func(t *testing.T) {
		st := newLedger(t, ledger.Person{Number: "2309000901", IDNumber: idNumber("23090219650402026"), Name: "李淑珍", Status: ledger.PersonPaying},
			ledger.Spell{PersonNumber: "2309000901", UnitNumber: other.Number, From: ym("201001")})
		_, err := apply(t, st, "employee-enrol", enrolForm(idNumber("23090219650402026"), "李淑珍", "2022-05-01"))
		cannot(t, err, other.Number)
	})
}

func TestSuspendAndResume(t *testing.T) {
	st := newLedger(t)
	form := map[string]string{"socialSecurityNumber": paying.IDNumber, "name": paying.Name, "changeReason": "03"}

	e, err := apply(t, st, "employee-contribution-suspend", form)
	if err != nil {
		t.Fatal(err)
	}
	d := dossier(t, st, paying.Number)
	if got := spellsOf(d); !slices.Equal(got, []string{unit.Number + ":202001-202205 暂停缴费"}) || d.Person.Status != ledger.PersonSuspended ||
		d.Person.StatusFrom != ym("202206") {
		t.Errorf("after 5.13: %q %s from %s", got, d.Person.Status, d.Person.StatusFrom)
	}
	if e.Summary != "职工刘桂芳自2022年06月起暂停缴费（人员跨制度转出）。" {
		t.Errorf("summary %q", e.Summary)
	}
	_, err = apply(t, st, "employee-contribution-suspend", form)
	cannot(t, err, "无法暂停缴费")

	// Resumed in the month it was suspended in: the spell goes on.
	if _, err := apply(t, st, "employee-contribution-resume", form); err != nil {
		t.Fatal(err)
	}
	d = dossier(t, st, paying.Number)
	if got := spellsOf(d); !slices.Equal(got, []string{unit.Number + ":202001- 参保缴费"}) || d.Person.Status != ledger.PersonPaying {
		t.Errorf("after 5.12: %q %s", got, d.Person.Status)
	}
	_, err = apply(t, st, "employee-contribution-resume", form)
	cannot(t, err, "无法恢复缴费")
}

func TestResumeAfterAGap(t *testing.T) {
	st := newLedger(t)
	e, err := apply(t, st, "employee-contribution-resume", map[string]string{"socialSecurityNumber": stopped.IDNumber, "name": stopped.Name,
		"employmentForm": "02"})
	if err != nil {
		t.Fatal(err)
	}
	d := dossier(t, st, stopped.Number)
	if got := spellsOf(d); !slices.Equal(got, []string{unit.Number + ":201304-202112 ", unit.Number + ":202205- 参保缴费"}) {
		t.Errorf("spells %q", got)
	}
	if sp := d.Spells[1]; sp.RelationID != "R2" || sp.EmploymentForm != "订立无固定期限劳动合同" {
		t.Errorf("new spell %+v", sp)
	}
	if d.Person.Status != ledger.PersonPaying || d.Person.StatusFrom != ym("202205") || e.Summary != "职工高建国自2022年05月起恢复缴费。" {
		t.Errorf("%s from %s, %q", d.Person.Status, d.Person.StatusFrom, e.Summary)
	}
}

func TestDeregisteredUnit(t *testing.T) {
	gone := unit
	gone.Status = ledger.UnitDeregistered
	st := newLedger(t)
	if _, err := st.Put(t.Context(), gone); err != nil {
		t.Fatal(err)
	}
	_, err := apply(t, st, "employee-contribution-suspend", map[string]string{"socialSecurityNumber": paying.IDNumber, "name": paying.Name})
	cannot(t, err, "已注销")
}
